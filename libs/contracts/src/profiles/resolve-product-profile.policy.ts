import { DomainError, ErrorCode } from '../domain-error';
import { formatDuration, parseDuration } from '../duration';
import {
  PRODUCT_PROFILE_NAMES,
  PRODUCT_PROFILE_SETTINGS,
  PRODUCT_PROFILES,
  type ProductProfileName,
  type ProductProfileSettings,
} from './product-profiles';

/** Settings once a profile is applied; an explicit null header means the scheme's default header. */
export type ResolvedProfileSettings = Omit<ProductProfileSettings, 'signatureHeader'> & {
  signatureHeader: string | null;
};

/** What a request sent beside the profile; undefined means "not sent", so the profile's value applies. */
export type ExplicitProfileSettings = {
  [K in keyof ResolvedProfileSettings]?: ResolvedProfileSettings[K] | undefined;
};

export interface ResolvedProductProfile {
  profile: ProductProfileName;
  settings: ResolvedProfileSettings;
  /** Settings sent explicitly with a value other than the profile's, in PRODUCT_PROFILE_SETTINGS order. */
  overrides: (keyof ProductProfileSettings)[];
}

export function isProductProfileName(name: unknown): name is ProductProfileName {
  return typeof name === 'string' && (PRODUCT_PROFILE_NAMES as string[]).includes(name);
}

/**
 * A profile's settings with the explicitly sent ones winning. When the deployment's retry tiers
 * (`retryTiersMs`, HERALD_RETRY_TIERS) lack delays the profile's own schedule needs and the request
 * does not override retrySchedule, the answer is UNKNOWN_RETRY_TIER naming every missing tier.
 */
export function resolveProductProfile(
  name: string,
  explicit: ExplicitProfileSettings,
  retryTiersMs?: readonly number[],
): ResolvedProductProfile {
  if (!isProductProfileName(name)) {
    const message = `unknown product profile "${name}"; one of ${PRODUCT_PROFILE_NAMES.join(', ')}`;
    throw new DomainError(ErrorCode.ValidationFailed, message, {
      fields: [{ field: 'productProfile', message }],
    });
  }
  const profile = PRODUCT_PROFILES[name];
  const settings = { ...profile } as ResolvedProfileSettings;
  for (const key of PRODUCT_PROFILE_SETTINGS) {
    if (explicit[key] !== undefined) (settings as Record<string, unknown>)[key] = explicit[key];
  }
  if (explicit.retrySchedule === undefined && profile.retrySchedule && retryTiersMs) {
    const missing = missingTiers(profile.retrySchedule, retryTiersMs);
    if (missing.length > 0) {
      const message =
        `product profile "${name}" retries after ${profile.retrySchedule.join(', ')}, but this ` +
        `deployment has no retry tier for ${missing.join(', ')} (HERALD_RETRY_TIERS: ` +
        `${[...retryTiersMs]
          .sort((a, b) => a - b)
          .map(formatDuration)
          .join(', ')}); send retrySchedule ` +
        "with configured tiers to override the profile's schedule";
      throw new DomainError(ErrorCode.UnknownRetryTier, message, {
        fields: [{ field: 'productProfile', message }],
        missingTiers: missing,
      });
    }
  }
  return { profile: name, settings, overrides: differingSettings(name, settings) };
}

/**
 * The stored settings that differ from what the profile names (verifyOnCreate is not stored, so it is
 * compared only when given). Header names compare case-insensitively, delays by their length.
 */
export function differingSettings(
  name: ProductProfileName,
  actual: Partial<ResolvedProfileSettings>,
): (keyof ProductProfileSettings)[] {
  const profile = PRODUCT_PROFILES[name];
  return PRODUCT_PROFILE_SETTINGS.filter((key) => {
    const value = actual[key];
    if (value === undefined) return false;
    switch (key) {
      case 'signatureHeader':
        return (value as string | null)?.toLowerCase() !== profile.signatureHeader.toLowerCase();
      case 'retrySchedule':
        return !sameSchedule(value as string[] | null, profile.retrySchedule);
      default:
        return value !== profile[key];
    }
  });
}

function missingTiers(schedule: readonly string[], tiersMs: readonly number[]): string[] {
  const tiers = new Set(tiersMs);
  return [...new Set(schedule.filter((label) => !tiers.has(parseDuration(label))))];
}

function sameSchedule(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const ms = (label: string) => {
    try {
      return parseDuration(label);
    } catch {
      return Number.NaN;
    }
  };
  return a.length === b.length && a.every((label, i) => ms(label) === ms(b[i]));
}
