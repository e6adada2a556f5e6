/** What Herald must do with a URL: let a request go out, or refuse it before any connection. */
export type SsrfVerdict = 'allowed' | 'refused';

export interface SsrfCase {
  url: string;
  production: SsrfVerdict;
  development: SsrfVerdict;
  /**
   * What the host name resolves to, for names only the connect-time check can judge (the save-time
   * check lets them through). Names without it are taken to resolve to a public address.
   */
  resolvesTo?: string[];
}

const refused = (url: string, development: SsrfVerdict = 'refused', resolvesTo?: string[]): SsrfCase => ({
  url,
  production: 'refused',
  development,
  ...(resolvesTo ? { resolvesTo } : {}),
});
const devOnly = (url: string, resolvesTo?: string[]) => refused(url, 'allowed', resolvesTo);
const allowed = (url: string, resolvesTo?: string[]): SsrfCase => ({
  url,
  production: 'allowed',
  development: 'allowed',
  ...(resolvesTo ? { resolvesTo } : {}),
});

/** Every class of address and name the egress guard refuses, with public controls. */
export const SSRF_CASES: readonly SsrfCase[] = [
  // Schemes and URL shapes
  devOnly('http://example.com/hook'),
  refused('ftp://example.com/hook'),
  refused('file:///etc/passwd'),
  refused('gopher://example.com:70/'),
  refused('javascript:alert(1)'),
  refused('data:text/plain,hello'),
  refused('ws://example.com/socket'),
  refused('not a url'),
  refused('//example.com/hook'),
  // Credentials and userinfo tricks
  refused('https://user:pass@example.com/hook'),
  refused('https://user@example.com/hook'),
  refused('https://example.com@127.0.0.1/hook'),
  refused('https://127.0.0.1%2f@example.com/'),
  devOnly('https://127.0.0.1#@example.com/'),
  allowed('https://example.com\\@127.0.0.1/'),
  // Local, cluster and internal names
  devOnly('https://localhost/hook'),
  devOnly('https://LOCALHOST./hook'),
  devOnly('https://api.localhost/hook'),
  devOnly('https://localhost.localdomain/'),
  devOnly('https://ip6-localhost/'),
  devOnly('https://printer.local/hook'),
  devOnly('https://kubernetes.default.svc/api'),
  devOnly('https://kubernetes.default.svc.cluster.local/api'),
  devOnly('https://redis.cache.svc.cluster.local:6379/'),
  devOnly('https://vault.corp.internal/v1/secret'),
  devOnly('https://router.lan/'),
  devOnly('https://nas.home.arpa/'),
  devOnly('https://intranet/hook'),
  devOnly('https://receiver:8080/'),
  refused('https://metadata.google.internal/computeMetadata/v1/'),
  refused('https://metadata/computeMetadata/v1/'),
  refused('https://instance-data/latest/meta-data/'),
  // Trailing dots and empty labels
  refused('https://example.com../'),
  refused('https://example.com.../'),
  refused('https://a..example.com/'),
  refused('https://localhost../'),
  allowed('https://example.com./hook'),
  // Port 0
  refused('https://example.com:0/'),
  refused('https://example.com:00/'),
  refused('https://93.184.216.34:0/'),
  refused('http://127.0.0.1:0/'),
  // Loopback in every IPv4 spelling
  devOnly('https://127.0.0.1/hook'),
  devOnly('https://127.255.255.254/'),
  devOnly('https://2130706433/'),
  devOnly('https://0x7f000001/'),
  devOnly('https://0x7f.0.0.1/'),
  devOnly('https://017700000001/'),
  devOnly('https://0177.0.0.1/'),
  devOnly('https://127.1/'),
  devOnly('https://127.0.1/'),
  devOnly('https://①②⑦.0.0.1/'),
  // Unspecified
  refused('https://0/'),
  refused('https://0.0.0.0/'),
  refused('https://0x0/'),
  // Private and shared (CGNAT) ranges
  devOnly('https://10.0.0.1/'),
  devOnly('https://10.255.255.255/'),
  devOnly('https://0xa000001/'),
  devOnly('https://012.0.0.1/'),
  devOnly('https://167772161/'),
  devOnly('https://172.16.0.1/'),
  devOnly('https://172.31.255.255/'),
  devOnly('https://192.168.1.1/'),
  devOnly('https://192.168.0.1.:8443/'),
  devOnly('https://100.64.0.1/'),
  devOnly('https://100.127.255.254/'),
  devOnly('https://100.100.100.201/'),
  // Cloud metadata: refused in every mode
  refused('https://169.254.169.254/latest/meta-data/'),
  refused('http://169.254.169.254/latest/meta-data/'),
  refused('https://2852039166/'),
  refused('https://0xa9fea9fe/'),
  refused('https://0251.0376.0251.0376/'),
  refused('https://169.254.0.1/'),
  refused('https://169.254.255.255/'),
  refused('https://100.100.100.200/latest/meta-data/'),
  refused('https://168.63.129.16/machine?comp=goalstate'),
  refused('https://[fd00:ec2::254]/latest/meta-data/'),
  refused('https://[fd20:ce::254]/computeMetadata/v1/'),
  refused('https://[::ffff:169.254.169.254]/'),
  refused('https://[::ffff:a9fe:a9fe]/'),
  refused('https://[::ffff:100.100.100.200]/'),
  refused('https://[64:ff9b::a9fe:a9fe]/'),
  refused('https://[2002:a9fe:a9fe::]/'),
  refused('https://[fe80::1]/'),
  refused('https://[fe80::a9fe:a9fe]/'),
  // Other special-purpose IPv4
  refused('https://224.0.0.1/'),
  refused('https://239.255.255.250/'),
  refused('https://255.255.255.255/'),
  refused('https://240.0.0.1/'),
  refused('https://192.0.2.10/'),
  refused('https://198.51.100.7/'),
  refused('https://203.0.113.9/'),
  refused('https://198.18.0.1/'),
  refused('https://192.0.0.8/'),
  refused('https://192.88.99.1/'),
  // IPv6 outside global unicast, and special blocks inside it
  devOnly('https://[::1]/'),
  devOnly('https://[0:0:0:0:0:0:0:1]/'),
  refused('https://[::]/'),
  refused('https://[::127.0.0.1]/'),
  refused('https://[::7f00:1]/'),
  refused('https://[::a00:1]/'),
  refused('https://[::8.8.8.8]/'),
  refused('https://[::ffff:0:7f00:1]/'),
  refused('https://[100::1]/'),
  refused('https://[1::1]/'),
  refused('https://[4000::1]/'),
  refused('https://[c000::1]/'),
  refused('https://[fec0::1]/'),
  refused('https://[ff02::1]/'),
  refused('https://[ff05::1:3]/'),
  refused('https://[fe80::1%25eth0]/'),
  devOnly('https://[fc00::1]/'),
  devOnly('https://[fd12:3456:789a::1]/'),
  refused('https://[2001:db8::1]/'),
  refused('https://[3fff::1]/'),
  refused('https://[2001::1]/'),
  refused('https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/'),
  refused('https://[2001:2::1]/'),
  refused('https://[2001:10::1]/'),
  refused('https://[2001:20::1]/'),
  refused('https://[5f00::1]/'),
  refused('https://[2620:4f:8000::1]/'),
  // IPv4 inside IPv6: mapped, NAT64, 6to4, judged by the IPv4 address
  devOnly('https://[::ffff:127.0.0.1]/'),
  devOnly('https://[::ffff:7f00:1]/'),
  devOnly('https://[::ffff:10.0.0.1]/'),
  refused('https://[::ffff:0.0.0.0]/'),
  devOnly('https://[64:ff9b::7f00:1]/'),
  devOnly('https://[64:ff9b::a00:1]/'),
  refused('https://[64:ff9b:1::a00:1]/'),
  devOnly('https://[2002:7f00:1::]/'),
  devOnly('https://[2002:c0a8:101::1]/'),
  allowed('https://[::ffff:8.8.8.8]/'),
  allowed('https://[64:ff9b::808:808]/'),
  allowed('https://[2002:808:808::1]/'),
  // Names whose DNS answer decides (rebinding, internal answers for public-looking names)
  devOnly('https://rebind.example.com/', ['10.4.2.7']),
  devOnly('https://mixed.example.com/', ['93.184.216.34', '127.0.0.1']),
  devOnly('https://v6-loopback.example.com/', ['::1']),
  devOnly('https://cgnat.example.com/', ['100.64.3.3']),
  refused('https://meta.example.com/', 'refused', ['169.254.169.254']),
  refused('https://alibaba.example.com/', 'refused', ['100.100.100.200']),
  refused('https://azure.example.com/', 'refused', ['168.63.129.16']),
  refused('https://aws6.example.com/', 'refused', ['fd00:ec2::254']),
  refused('https://compat.example.com/', 'refused', ['::127.0.0.1']),
  refused('https://mapped-meta.example.com/', 'refused', ['::ffff:169.254.169.254']),
  refused('https://nat64-meta.example.com/', 'refused', ['64:ff9b::a9fe:a9fe']),
  refused('https://zero.example.com/', 'refused', ['0.0.0.0']),
  refused('https://doc6.example.com/', 'refused', ['2001:db8::5']),
  allowed('https://public.example.com/', ['93.184.216.34']),
  allowed('https://public6.example.com/', ['2606:2800:220:1:248:1893:25c8:1946']),
  // Public controls
  allowed('https://example.com/hook'),
  allowed('https://hooks.example.co.uk:8443/a/b?c=d'),
  allowed('https://93.184.216.34/hook'),
  allowed('https://168.63.129.17/'),
  allowed('https://[2606:2800:220:1:248:1893:25c8:1946]/'),
  allowed('https://xn--bcher-kva.example/'),
];

/**
 * The corpus URLs refused in production on their face (no DNS needed): no send may reach them, so
 * e2e tests can throw them at a real dispatcher.
 */
export const SSRF_CORPUS: readonly string[] = SSRF_CASES.filter(
  (c) => c.production === 'refused' && !c.resolvesTo,
).map((c) => c.url);
