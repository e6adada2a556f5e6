import { generateSigningSecret, SecretCipher, sealHeaders } from '@herald/signing';
import { sampleEndpointSnapshot } from '@herald/testing';
import { SignedAttemptPerformer } from './signed-attempt.performer';
import type { SendRequest, SendResult, WebhookSender } from './webhook.sender';

describe('SignedAttemptPerformer and custom headers', () => {
  const cipher = new SecretCipher(Buffer.alloc(32, 3));
  const sent: SendRequest[] = [];
  const sender = {
    send: async (request: SendRequest): Promise<SendResult> => {
      sent.push(request);
      return {
        status: 200,
        headers: {},
        body: 'ok',
        bodyTruncated: false,
        durationMs: 1,
        remoteIp: null,
        errorClass: null,
        errorMessage: null,
      };
    },
  } as unknown as WebhookSender;
  const secret = {
    id: 's1',
    ciphertext: cipher.encrypt(generateSigningSecret('standard-webhooks').secret),
    createdAt: new Date().toISOString(),
    expiresAt: null,
  };
  const input = { webhookId: 'dlv_1', attempt: 1, body: '{"a":1}', traceparent: null };

  beforeEach(() => sent.splice(0));

  it('opens sealed values for the receiver and records names only', async () => {
    const endpoint = sampleEndpointSnapshot({
      id: 'e1',
      workspaceId: 'ws',
      secrets: [secret],
      sealedHeaders: sealHeaders(cipher, { 'X-Partner-Key': 'pk_live_42', 'X-Tenant': 'acme' }),
    });
    const performed = await new SignedAttemptPerformer(sender, cipher).perform(endpoint, input);
    expect(sent[0].headers).toMatchObject({ 'x-partner-key': 'pk_live_42', 'x-tenant': 'acme' });
    expect(performed.request.headers).toMatchObject({
      'x-partner-key': '[redacted]',
      'x-tenant': '[redacted]',
      'webhook-signature': '[redacted]',
    });
    expect(JSON.stringify(performed.request)).not.toMatch(/pk_live_42|acme|hs1\./);
    expect(performed.request.skippedHeaders).toEqual([]);
  });

  it('sends the clear values of a snapshot published before sealing, still recorded as names only', async () => {
    const endpoint = sampleEndpointSnapshot({
      id: 'e2',
      workspaceId: 'ws',
      secrets: [secret],
      headers: { 'X-Partner-Key': 'pk_old' },
    });
    const performed = await new SignedAttemptPerformer(sender, cipher).perform(endpoint, input);
    expect(sent[0].headers['x-partner-key']).toBe('pk_old');
    expect(performed.request.headers['x-partner-key']).toBe('[redacted]');
  });

  it('skips reserved or unsendable headers of an old snapshot by name instead of failing the request', async () => {
    const endpoint = sampleEndpointSnapshot({
      id: 'e3',
      workspaceId: 'ws',
      secrets: [secret],
      headers: { 'Keep-Alive': 'timeout=1', 'X-Snowman': '\u2603', 'X-Ok': '1' },
    });
    const performed = await new SignedAttemptPerformer(sender, cipher).perform(endpoint, input);
    expect(performed.result.status).toBe(200);
    expect(performed.request.skippedHeaders).toEqual(['Keep-Alive', 'X-Snowman']);
    expect(sent[0].headers).not.toHaveProperty('keep-alive');
    expect(sent[0].headers).not.toHaveProperty('x-snowman');
    expect(sent[0].headers['x-ok']).toBe('1');
  });
});
