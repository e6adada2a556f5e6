import { createHmac, createPublicKey, verify } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import type { EncryptedSecret } from '@herald/contracts';
import { generateSigningSecret } from './signing-secret.factory';
import {
  activeSecrets,
  ed25519PublicKey,
  nextSecretExpiry,
  prepareSigningKey,
  signWebhook,
} from './webhook.signer';

const body = '{"type":"message.created","data":{"id":"m_1","text":"héllo"}}';
const id = 'dlv_01HZX';
const now = () => Math.floor(Date.now() / 1000);

describe('signWebhook', () => {
  it('produces Standard Webhooks signatures that standardwebhooks and svix verify', () => {
    const { secret } = generateSigningSecret('standard-webhooks');
    const timestamp = now();
    const headers: Record<string, string> = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      ...signWebhook('standard-webhooks', {
        webhookId: id,
        timestamp,
        body,
        keys: [prepareSigningKey('standard-webhooks', secret)],
      }),
    };
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new SvixWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new SvixWebhook(secret).verify(body + ' ', headers)).toThrow();
  });

  it('signs with every key in its grace period, so receivers holding either secret accept', () => {
    const oldSecret = generateSigningSecret('standard-webhooks').secret;
    const newSecret = generateSigningSecret('standard-webhooks').secret;
    const timestamp = now();
    const keys = [newSecret, oldSecret].map((s) => prepareSigningKey('standard-webhooks', s));
    const headers: Record<string, string> = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      ...signWebhook('standard-webhooks', { webhookId: id, timestamp, body, keys }),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new SvixWebhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new StandardWebhook(newSecret).verify(body, headers)).not.toThrow();
  });

  it('produces ed25519 v1a signatures that verify with the whpk_ public key', () => {
    const { secret, publicKey } = generateSigningSecret('ed25519');
    expect(ed25519PublicKey(secret)).toBe(publicKey);
    const timestamp = now();
    const header = signWebhook('ed25519', {
      webhookId: id,
      timestamp,
      body,
      keys: [prepareSigningKey('ed25519', secret)],
    })['webhook-signature'];
    expect(header).toMatch(/^v1a,/);
    const key = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: Buffer.from(publicKey!.slice(5), 'base64').toString('base64url'),
      },
      format: 'jwk',
    });
    expect(
      verify(null, Buffer.from(`${id}.${timestamp}.${body}`), key, Buffer.from(header.slice(4), 'base64')),
    ).toBe(true);
  });

  it('renders the raw-body compatibility profiles keyed by the whole secret string', () => {
    const secret = 'whsec_pastedByTheReceiver';
    const b64 = createHmac('sha256', secret).update(body).digest('base64');
    const hex = createHmac('sha256', secret).update(body).digest('hex');
    const sign = (scheme: 'hmac-base64' | 'hmac-hex' | 'hmac-sha256-prefixed', header: string | null) =>
      signWebhook(scheme, {
        webhookId: id,
        timestamp: 1,
        body,
        keys: [prepareSigningKey(scheme, secret)],
        signatureHeader: header,
      });
    expect(sign('hmac-base64', null)).toEqual({ 'x-messagedesk-signature': b64 });
    expect(sign('hmac-hex', null)).toEqual({ 'x-webhook-signature': hex });
    expect(sign('hmac-sha256-prefixed', 'X-NexaDesk-Signature')).toEqual({
      'x-nexadesk-signature': `sha256=${hex}`,
    });
    expect(sign('hmac-sha256-prefixed', null)).toEqual({ 'x-guddesk-signature': `sha256=${hex}` });
  });

  it('refuses to sign without a key and rejects malformed secrets', () => {
    expect(() => signWebhook('standard-webhooks', { webhookId: id, timestamp: 1, body, keys: [] })).toThrow(
      /no active signing secret/,
    );
    expect(() => prepareSigningKey('ed25519', 'whsec_abc')).toThrow(/whsk_/);
    expect(() => prepareSigningKey('standard-webhooks', 'whsec_c2hvcnQ=')).toThrow(/at least 16 bytes/);
  });
});

describe('activeSecrets', () => {
  const secret = (id: string, createdAt: string, expiresAt: string | null): EncryptedSecret => ({
    id,
    ciphertext: id,
    createdAt,
    expiresAt,
  });
  const t = Date.parse('2026-01-02T00:00:00Z');

  it('keeps the current key first, then keys still in grace, and drops expired ones', () => {
    const list = [
      secret('expired', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      secret('grace', '2025-06-01T00:00:00Z', '2026-01-03T00:00:00Z'),
      secret('current', '2026-01-01T12:00:00Z', null),
    ];
    expect(activeSecrets(list, t).map((s) => s.id)).toEqual(['current', 'grace']);
    expect(nextSecretExpiry(list, t)).toBe(Date.parse('2026-01-03T00:00:00Z'));
  });
});
