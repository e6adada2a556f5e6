import type { Provider } from '@nestjs/common';
import { loadConfig } from '@herald/config';
import { egressPolicy, parseCidrs, type EgressPolicy, type ParsedCidr } from '@herald/egress';
import {
  replayTopicRetentionDays,
  retentionEnv,
  retentionSettingsFromEnv,
  type RetentionSettings,
} from '@herald/retention';
import { retryEnv } from '@herald/retry';
import { serviceEnv } from '@herald/runtime';
import { API_ENV, type ApiEnv } from './api.env';

/** Settings the API derives from other libs' validated env, built once at start-up and injected. */
export interface ApiSettings {
  /** Which addresses endpoints may point at (HERALD_MODE and HERALD_EGRESS_ALLOW_CIDRS). */
  egress: EgressPolicy;
  /** Ranges a workspace's own egress allowlist may name (HERALD_EGRESS_WORKSPACE_CIDRS). */
  workspaceEgressCidrs: ParsedCidr[];
  /** Retry tier delays a custom retry schedule must fit. */
  retryTiersMs: number[];
  /** Each API key's request budget: `burst` requests in any sliding window of `windowMs`. */
  keyRate: KeyRateWindow;
  /** How long the delivery log keeps records and bodies, and the bounds of a workspace's override. */
  retention: RetentionSettings;
  /** Days the domain topics keep events: a backfill's `since` may not be older. */
  domainTopicsRetentionDays: number;
}

export interface KeyRateWindow {
  burst: number;
  windowMs: number;
}

/**
 * `burst` requests in any window of burst/rate seconds: a key may send its whole burst at once, and
 * no more than `rate` per second on average over the window (100 in any 2s for 50/s and 100).
 */
export function keyRateWindow(ratePerSecond: number, burst: number): KeyRateWindow {
  return { burst, windowMs: Math.round((burst / ratePerSecond) * 1000) };
}

export const API_SETTINGS = Symbol('API_SETTINGS');

export const apiSettingsProvider: Provider = {
  provide: API_SETTINGS,
  inject: [API_ENV],
  useFactory: (env: ApiEnv): ApiSettings => {
    const retention = retentionSettingsFromEnv(loadConfig(retentionEnv));
    return {
      egress: egressPolicy(loadConfig(serviceEnv).HERALD_MODE, env.HERALD_EGRESS_ALLOW_CIDRS),
      workspaceEgressCidrs: parseCidrs(env.HERALD_EGRESS_WORKSPACE_CIDRS),
      retryTiersMs: loadConfig(retryEnv).HERALD_RETRY_TIERS,
      keyRate: keyRateWindow(env.HERALD_API_KEY_RATE_LIMIT, env.HERALD_API_KEY_RATE_BURST),
      retention,
      domainTopicsRetentionDays:
        env.HERALD_DOMAIN_TOPICS_RETENTION_DAYS ?? replayTopicRetentionDays(retention),
    };
  },
};
