import { Logger, type Provider } from '@nestjs/common';
import { SignedAttemptPerformer, WebhookSender } from '@herald/http-delivery';
import { SecretCipher } from '@herald/signing';
import { API_SETTINGS, type ApiSettings } from '../../api.settings';
import { TestPingSender } from './test-ping.sender';

/**
 * The test ping sends through the same signed-attempt path as the dispatcher: a small connection pool,
 * the egress policy checked again at connect time, no redirects followed. TestPingSender sends and
 * records the pings of POST .../test and verify-on-create.
 */
export const testPingProviders: Provider[] = [
  {
    provide: WebhookSender,
    inject: [API_SETTINGS],
    useFactory: (settings: ApiSettings) =>
      new WebhookSender({
        policy: settings.egress,
        connectionsPerOrigin: 8,
        // The caller is told only that the name resolves to a non-public address; the operator sees which.
        onRefusedAddress: (host, _address, reason) =>
          new Logger('TestPing').warn(`refused a test ping to ${host}: ${reason}`),
      }),
  },
  {
    provide: SignedAttemptPerformer,
    inject: [WebhookSender, SecretCipher],
    useFactory: (sender: WebhookSender, cipher: SecretCipher) => new SignedAttemptPerformer(sender, cipher),
  },
  TestPingSender,
];
