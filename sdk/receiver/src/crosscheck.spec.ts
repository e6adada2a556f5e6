// Interoperability: the Standard Webhooks test vector, the two reference libraries in both
// directions, and Herald's own signer (libs/signing) for every scheme it sends.
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { generateSigningSecret, prepareSigningKey, signWebhook } from '@herald/signing';
import type { SignatureScheme } from '@herald/contracts';
import { createVerifier, sign, type Scheme } from './index';

/**
 * From the Standard Webhooks reference library's tests (standard-webhooks/standard-webhooks,
 * libraries/javascript/src/webhook.test.ts, "sign function works"): key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw,
 * id msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330, payload {"test": 2432232314} (with its space)
 * sign to v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=. The spec text (spec/standard-webhooks.md)
 * shows example headers but publishes no key for them, so they cannot be checked.
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorHeaders = (signature: string) => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': String(VECTOR.timestamp),
  'webhook-signature': signature,
});
const atVector = () => new Date(VECTOR.timestamp * 1000);

describe('Standard Webhooks test vector', () => {
  const verifier = createVerifier({ secrets: [VECTOR.secret], now: atVector });

  it('sign() produces the published signature', async () => {
    const signed = await sign({
      secret: VECTOR.secret,
      body: VECTOR.payload,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    expect(signed.headers['webhook-signature']).toBe(VECTOR.signature);
    expect(signed.body).toBe(VECTOR.payload);
  });

  it('verifies the published signature, also among unknown versions and wrong signatures', async () => {
    await expect(verifier.verify(VECTOR.payload, vectorHeaders(VECTOR.signature))).resolves.toEqual({
      test: 2432232314,
    });
    const junk = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const mixed = [junk, junk.replace('v1,', 'v2,'), VECTOR.signature, junk].join(' ');
    await expect(verifier.verify(VECTOR.payload, vectorHeaders(mixed))).resolves.toBeDefined();
  });

  it.each([
    ['a garbled signature', 'v1,dawfeoifkpqwoekfpqoekf'],
    ['a truncated signature', VECTOR.signature.slice(0, 8)],
    ['an empty signature', 'v1,'],
    ['only an unknown version', VECTOR.signature.replace('v1,', 'v2,')],
  ])('refuses %s with BAD_SIGNATURE', async (_case, signature) => {
    await expect(verifier.verify(VECTOR.payload, vectorHeaders(signature))).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
  });

  it('refuses the vector outside the 5-minute tolerance either way', async () => {
    const late = createVerifier({
      secrets: [VECTOR.secret],
      now: () => new Date((VECTOR.timestamp + 301) * 1000),
    });
    await expect(late.verify(VECTOR.payload, vectorHeaders(VECTOR.signature))).rejects.toMatchObject({
      code: 'TIMESTAMP_TOO_OLD',
    });
    const early = createVerifier({
      secrets: [VECTOR.secret],
      now: () => new Date((VECTOR.timestamp - 301) * 1000),
    });
    await expect(early.verify(VECTOR.payload, vectorHeaders(VECTOR.signature))).rejects.toMatchObject({
      code: 'TIMESTAMP_IN_FUTURE',
    });
  });
});

describe.each([
  ['standardwebhooks', (secret: string) => new StandardWebhook(secret)],
  ['svix', (secret: string) => new SvixWebhook(secret)],
])('v1 against the %s package', (_name, library) => {
  const secret = generateSigningSecret('standard-webhooks').secret;
  const body = JSON.stringify({ type: 'message.received', data: { text: 'héllo ✓', n: 1 } });

  it('verifies what the library signs', async () => {
    const now = new Date();
    const headers = {
      'webhook-id': 'msg_lib',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': library(secret).sign('msg_lib', now, body),
    };
    await expect(createVerifier({ secrets: [secret] }).verify(body, headers)).resolves.toEqual(
      JSON.parse(body),
    );
    await expect(
      createVerifier({ secrets: [secret] }).verify(body.replace('1', '2'), headers),
    ).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
  });

  it('is verified by the library, and a tampered copy is refused by it', async () => {
    const signed = await sign({ secret, body, id: 'msg_sdk' });
    expect(library(secret).verify(signed.body, signed.headers)).toEqual(JSON.parse(body));
    expect(() => library(secret).verify(signed.body.replace('1', '2'), signed.headers)).toThrow();
  });
});

describe("Herald's own signer (libs/signing) for every scheme it sends", () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'message.received', data: { n: 1 } });
  const timestamp = Math.floor(Date.now() / 1000);

  it.each<[SignatureScheme, Scheme, string | undefined]>([
    ['standard-webhooks', 'standard', undefined],
    ['hmac-base64', 'hmac-base64', undefined],
    ['hmac-hex', 'hmac-hex', undefined],
    ['hmac-sha256-prefixed', 'hmac-sha256-prefixed', undefined],
    ['hmac-sha256-prefixed', 'hmac-sha256-prefixed', 'X-NexaDesk-Signature'],
  ])('%s (header %s)', async (heraldScheme, scheme, header) => {
    const { secret } = generateSigningSecret(heraldScheme);
    const signatures = signWebhook(heraldScheme, {
      webhookId: 'msg_h',
      timestamp,
      body,
      keys: [prepareSigningKey(heraldScheme, secret)],
      signatureHeader: header ?? null,
    });
    const headers = { 'webhook-id': 'msg_h', 'webhook-timestamp': String(timestamp), ...signatures };
    const verifier = createVerifier({ secrets: [secret], scheme, signatureHeader: header });
    await expect(verifier.verify(body, headers)).resolves.toEqual(JSON.parse(body));
    await expect(verifier.verify(body.replace('1', '2'), headers)).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
    // And what sign() makes is byte-for-byte what Herald sends.
    const ours = await sign({ secret, body, id: 'msg_h', timestamp, scheme, signatureHeader: header });
    for (const [name, value] of Object.entries(signatures)) expect(ours.headers[name]).toBe(value);
  });

  it('ed25519 v1a with the whpk_ public key, across a rotation (two keys, one signature each)', async () => {
    const current = generateSigningSecret('ed25519');
    const previous = generateSigningSecret('ed25519');
    const signatures = signWebhook('ed25519', {
      webhookId: 'msg_ed',
      timestamp,
      body,
      keys: [prepareSigningKey('ed25519', current.secret), prepareSigningKey('ed25519', previous.secret)],
    });
    const headers = { 'webhook-id': 'msg_ed', 'webhook-timestamp': String(timestamp), ...signatures };
    for (const keys of [
      [current.publicKey!],
      [previous.publicKey!],
      [previous.publicKey!, current.publicKey!],
    ])
      await expect(createVerifier({ secrets: keys }).verify(body, headers)).resolves.toEqual(
        JSON.parse(body),
      );
    const stranger = generateSigningSecret('ed25519').publicKey!;
    await expect(createVerifier({ secrets: [stranger] }).verify(body, headers)).rejects.toMatchObject({
      code: 'BAD_SIGNATURE',
    });
  });

  it('a raw profile with a whitespace-padded secret is named, not a bad signature', () => {
    expect(() => createVerifier({ secrets: ['whsec_abc '], scheme: 'hmac-hex' })).toThrow(/has whitespace/);
  });
});
