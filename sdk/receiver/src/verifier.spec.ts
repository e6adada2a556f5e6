import { createVerifier, ed25519PublicKey, sign, WebhookVerificationError } from './index';

const HMAC = 'whsec_' + Buffer.alloc(24, 1).toString('base64');
const OTHER = 'whsec_' + Buffer.alloc(24, 2).toString('base64');
const ED_SECRET = 'whsk_' + Buffer.alloc(32, 7).toString('base64');
const T0 = 1_800_000_000;
const at = (seconds: number) => () => new Date(seconds * 1000);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
  return 'ACCEPTED';
}

describe('createVerifier, standard scheme', () => {
  it('accepts a v1 signature and returns the parsed payload and metadata', async () => {
    const signed = await sign({ secret: HMAC, body: { type: 'x.y', n: 1 }, id: 'msg_1', timestamp: T0 });
    const verifier = createVerifier({ secrets: [HMAC], now: at(T0) });
    await expect(verifier.verify(signed.body, signed.headers)).resolves.toEqual({ type: 'x.y', n: 1 });
    const webhook = await verifier.verifyWebhook(Buffer.from(signed.body), new Headers(signed.headers));
    expect(webhook).toMatchObject({ id: 'msg_1', attempt: 1, rawBody: signed.body });
    expect(webhook.timestamp?.getTime()).toBe(T0 * 1000);
  });

  it('rejects a tampered body and a wrong secret with BAD_SIGNATURE', async () => {
    const signed = await sign({ secret: HMAC, body: '{"a":1}', timestamp: T0 });
    const verifier = createVerifier({ secrets: [HMAC], now: at(T0) });
    expect(await codeOf(verifier.verify('{"a":2}', signed.headers))).toBe('BAD_SIGNATURE');
    expect(
      await codeOf(createVerifier({ secrets: [OTHER], now: at(T0) }).verify(signed.body, signed.headers)),
    ).toBe('BAD_SIGNATURE');
  });

  it('accepts any configured secret (rotation) and any of several signatures', async () => {
    const old = await sign({ secret: OTHER, body: '{}', timestamp: T0 });
    const both = await sign({ secret: [HMAC, OTHER], body: '{}', timestamp: T0 });
    expect(both.headers['webhook-signature'].split(' ')).toHaveLength(2);
    const verifier = createVerifier({ secrets: [HMAC, OTHER], now: at(T0) });
    await expect(verifier.verify(old.body, old.headers)).resolves.toEqual({});
    await expect(
      createVerifier({ secrets: [HMAC], now: at(T0) }).verify(both.body, both.headers),
    ).resolves.toEqual({});
  });

  it('verifies ed25519 v1a with the whpk_ public key', async () => {
    const signed = await sign({ secret: ED_SECRET, body: '{"e":1}', timestamp: T0 });
    expect(signed.headers['webhook-signature']).toMatch(/^v1a,/);
    const publicKey = await ed25519PublicKey(ED_SECRET);
    await expect(
      createVerifier({ secrets: [publicKey], now: at(T0) }).verify(signed.body, signed.headers),
    ).resolves.toEqual({ e: 1 });
    expect(
      await codeOf(createVerifier({ secrets: [publicKey], now: at(T0) }).verify('{"e":2}', signed.headers)),
    ).toBe('BAD_SIGNATURE');
  });

  it('says how old or how far ahead a timestamp is, within a configurable tolerance', async () => {
    const signed = await sign({ secret: HMAC, body: '{}', timestamp: T0 });
    const old = createVerifier({ secrets: [HMAC], now: at(T0 + 420) }).verify(signed.body, signed.headers);
    await expect(old).rejects.toMatchObject({ code: 'TIMESTAMP_TOO_OLD' });
    await expect(old).rejects.toThrow(/the timestamp is 7 minutes old/);
    expect(
      await codeOf(
        createVerifier({ secrets: [HMAC], now: at(T0 - 301) }).verify(signed.body, signed.headers),
      ),
    ).toBe('TIMESTAMP_IN_FUTURE');
    const wide = createVerifier({ secrets: [HMAC], toleranceSeconds: 600, now: at(T0 + 420) });
    await expect(wide.verify(signed.body, signed.headers)).resolves.toEqual({});
    expect(
      await codeOf(
        createVerifier({ secrets: [HMAC], now: at(T0 + 300) }).verify(signed.body, signed.headers),
      ),
    ).toBe('ACCEPTED');
  });

  it('names missing headers', async () => {
    const signed = await sign({ secret: HMAC, body: '{}', timestamp: T0 });
    const verifier = createVerifier({ secrets: [HMAC], now: at(T0) });
    const without = (name: string) =>
      Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== name));
    expect(await codeOf(verifier.verify(signed.body, without('webhook-signature')))).toBe('NO_SIGNATURE');
    expect(await codeOf(verifier.verify(signed.body, without('webhook-timestamp')))).toBe('NO_TIMESTAMP');
    expect(await codeOf(verifier.verify(signed.body, without('webhook-id')))).toBe('NO_ID');
    expect(
      await codeOf(verifier.verify(signed.body, { ...signed.headers, 'webhook-timestamp': 'soon' })),
    ).toBe('BAD_TIMESTAMP');
  });

  it('reads header names case-insensitively, and arrays as Node gives repeated headers', async () => {
    const signed = await sign({ secret: HMAC, body: '{}', timestamp: T0 });
    const upper = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    await expect(
      createVerifier({ secrets: [HMAC], now: at(T0) }).verify(signed.body, upper),
    ).resolves.toEqual({});
  });
});

describe('a body that is not the raw bytes', () => {
  const verifier = createVerifier({ secrets: [HMAC], now: at(T0) });

  it('is BODY_REPARSED when an object, nothing, or "[object Object]" is passed', async () => {
    const signed = await sign({ secret: HMAC, body: '{"a":1}', timestamp: T0 });
    const asAny = verifier.verify as (body: unknown, headers: Record<string, string>) => Promise<unknown>;
    expect(await codeOf(asAny({ a: 1 }, signed.headers))).toBe('BODY_REPARSED');
    expect(await codeOf(asAny(undefined, signed.headers))).toBe('BODY_REPARSED');
    expect(await codeOf(verifier.verify('[object Object]', signed.headers))).toBe('BODY_REPARSED');
  });

  it('is BODY_REPARSED when a re-formatted JSON body fails but its compact form verifies', async () => {
    const signed = await sign({ secret: HMAC, body: '{"a":1,"b":[1,2]}', timestamp: T0 });
    const pretty = JSON.stringify(JSON.parse(signed.body), null, 2);
    await expect(verifier.verify(pretty, signed.headers)).rejects.toThrow(
      /parsed and re-serialised; pass the raw bytes/,
    );
    // A different document is a bad signature, not a re-serialisation.
    expect(await codeOf(verifier.verify('{\n  "a": 2\n}', signed.headers))).toBe('BAD_SIGNATURE');
  });
});

describe('secrets', () => {
  it('refuses whitespace, unknown formats and an empty list at creation', () => {
    const code = (secrets: string[]) => {
      try {
        createVerifier({ secrets });
      } catch (error) {
        return (error as WebhookVerificationError).code;
      }
      return 'ACCEPTED';
    };
    expect(code([`${HMAC}\n`])).toBe('SECRET_WHITESPACE');
    expect(code([` ${HMAC}`])).toBe('SECRET_WHITESPACE');
    expect(code(['not-a-secret'])).toBe('UNKNOWN_SECRET_FORMAT');
    expect(code(['whsec_!!!'])).toBe('UNKNOWN_SECRET_FORMAT');
    expect(code(['whpk_' + Buffer.alloc(16).toString('base64')])).toBe('UNKNOWN_SECRET_FORMAT');
    expect(code([])).toBe('NO_SECRETS');
    expect(code([HMAC])).toBe('ACCEPTED');
  });
});
