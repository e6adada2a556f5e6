import {
  differingSettings,
  resolveProductProfile,
  type ProductProfileName,
  type ProductProfileSettings,
  type ResolvedProfileSettings,
} from '@herald/contracts';

/** The request fields a product profile can set. */
export type ProfiledFields = {
  productProfile?: string | null;
} & { [K in keyof ResolvedProfileSettings]?: ResolvedProfileSettings[K] };

/**
 * A create or PATCH request with its product profile applied: choosing a profile sets every setting
 * it names, except those sent in the same request, which win. No profile, or null (which only clears
 * the label), leaves the request as it is. `retryTiersMs` are the deployment's tiers: a profile
 * schedule they cannot serve is refused unless retrySchedule is sent too.
 */
export function withProductProfile<T extends ProfiledFields>(request: T, retryTiersMs: readonly number[]): T {
  if (request.productProfile === undefined || request.productProfile === null) return request;
  const { settings } = resolveProductProfile(
    request.productProfile,
    {
      payloadProfile: request.payloadProfile,
      signatureScheme: request.signatureScheme,
      signatureHeader: request.signatureHeader,
      retrySchedule: request.retrySchedule,
      verifyOnCreate: request.verifyOnCreate,
    },
    retryTiersMs,
  );
  return { ...request, ...settings };
}

/** Which stored settings differ from the endpoint's profile (a later PATCH of one, say); none without one. */
export function profileOverrides(
  productProfile: ProductProfileName | null,
  stored: Omit<ResolvedProfileSettings, 'verifyOnCreate'>,
): (keyof ProductProfileSettings)[] {
  return productProfile ? differingSettings(productProfile, stored) : [];
}
