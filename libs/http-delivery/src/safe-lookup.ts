import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { addressRefusal, type EgressPolicy, RESOLVES_TO_NON_PUBLIC } from '@herald/egress';

export const UNSAFE_ADDRESS_CODE = 'EHERALD_UNSAFE_ADDRESS';

export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** Told which address a name resolved to and why it was refused: for the operator's logs only. */
export type RefusedAddressListener = (hostname: string, address: string, reason: string) => void;

/**
 * The message names the host only: it ends up in attempt logs and API answers, where the address a
 * customer's name resolved to would map the internal network.
 */
export class UnsafeAddressError extends Error {
  readonly code = UNSAFE_ADDRESS_CODE;
  constructor(hostname: string) {
    super(`refused to connect to ${hostname}: ${RESOLVES_TO_NON_PUBLIC}`);
    this.name = 'UnsafeAddressError';
  }
}

/**
 * A `lookup` for net/tls connect that resolves, refuses the whole name if any answer is not allowed,
 * and hands the checked address to the socket. Because the socket connects to exactly what was
 * checked, a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
export function safeLookup(
  policy: EgressPolicy,
  resolve: LookupFunction = dnsLookup as unknown as LookupFunction,
  onResolved?: (hostname: string, address: string) => void,
  onRefused?: RefusedAddressListener,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, result) => {
      if (error) return callback(error, '');
      const addresses = result as LookupAddress[];
      if (addresses.length === 0)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      for (const { address } of addresses) {
        const reason = addressRefusal(address, policy);
        if (reason) {
          onRefused?.(hostname, address, reason);
          return callback(new UnsafeAddressError(hostname), '');
        }
      }
      onResolved?.(hostname, addresses[0].address);
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
