import { loadConfig } from '@herald/config';
import { DomainError } from '@herald/contracts';
import { apiEnv } from '../api.env';
import type { ApiSettings } from '../api.settings';
import { EndpointSettingsPolicy } from './endpoint-settings.policy';

describe('EndpointSettingsPolicy: custom headers and signatureHeader', () => {
  const policy = new EndpointSettingsPolicy(
    loadConfig(apiEnv, { HERALD_ADMIN_TOKEN: 'a-long-enough-operator-token' }),
    {} as ApiSettings,
  );

  function refusal(input: Parameters<EndpointSettingsPolicy['check']>[0]) {
    try {
      policy.check(input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { status: error.details?.status, fields: error.details?.fields, message: error.message };
    }
    return undefined;
  }

  it.each([
    'Keep-Alive',
    'Upgrade',
    'TE',
    'Trailer',
    'Expect',
    'Proxy-Authorization',
    'Webhook-Attempt',
    'Connection',
    'Host',
    'Content-Type',
    'User-Agent',
    'webhook-id',
    'traceparent',
  ])('refuses custom header %s with 422 naming it', (name) => {
    const refused = refusal({ headers: { [name]: 'x' }, signatureScheme: 'standard-webhooks' });
    expect(refused).toMatchObject({ status: 422, fields: [{ field: `headers.${name}` }] });
    expect(refused?.message).toContain(name);
  });

  it.each([
    ['a line break', 'a\r\nb'],
    ['a control character', 'a\x01b'],
    ['a character outside Latin-1', 'key \u20ac'],
  ])('refuses a header value with %s (422)', (_what, value) => {
    expect(refusal({ headers: { 'X-Partner-Key': value } })).toMatchObject({
      status: 422,
      fields: [{ field: 'headers.X-Partner-Key' }],
    });
  });

  it('refuses the redaction placeholder as a value: a view sent back must not overwrite the credential', () => {
    expect(refusal({ headers: { 'X-Partner-Key': '[redacted]' } })).toMatchObject({
      status: 422,
      fields: [{ field: 'headers.X-Partner-Key' }],
    });
  });

  it.each(['Host', 'Content-Length', 'Content-Type', 'User-Agent', 'webhook-id', 'Webhook-Timestamp'])(
    'refuses signatureHeader %s (Herald sets it) with 422',
    (name) => {
      expect(refusal({ signatureScheme: 'hmac-hex', signatureHeader: name })).toMatchObject({
        status: 422,
        fields: [{ field: 'signatureHeader' }],
      });
    },
  );

  it('accepts ordinary credentials and a receiver-specific signature header', () => {
    expect(
      refusal({
        headers: { 'X-Partner-Key': 'pk_live_1', Authorization: 'Bearer abc' },
        signatureScheme: 'hmac-hex',
        signatureHeader: 'X-Hub-Signature',
      }),
    ).toBeUndefined();
    expect(
      refusal({
        headers: { 'X-Hub-Signature': 'x' },
        signatureScheme: 'hmac-hex',
        signatureHeader: 'X-Hub-Signature',
      }),
    ).toMatchObject({ status: 422, fields: [{ field: 'headers.X-Hub-Signature' }] });
  });
});
