import type { Provider } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { egressPolicy } from '@herald/egress';
import { SignedAttemptPerformer, WebhookSender } from '@herald/http-delivery';
import { serviceEnv } from '@herald/runtime';
import { SecretCipher } from '@herald/signing';
import { API_ENV, type ApiEnv } from '../../api.env';

/**
 * The test ping sends through the same signed-attempt path as the dispatcher: a small connection pool,
 * the egress policy checked again at connect time, no redirects followed.
 */
export const testPingProviders: Provider[] = [
  {
    provide: WebhookSender,
    inject: [API_ENV],
    useFactory: (env: ApiEnv) =>
      new WebhookSender({
        policy: egressPolicy(loadConfig(serviceEnv).HERALD_MODE, env.HERALD_EGRESS_ALLOW_CIDRS),
        connectionsPerOrigin: 8,
      }),
  },
  {
    provide: SignedAttemptPerformer,
    inject: [WebhookSender, SecretCipher],
    useFactory: (sender: WebhookSender, cipher: SecretCipher) => new SignedAttemptPerformer(sender, cipher),
  },
];
