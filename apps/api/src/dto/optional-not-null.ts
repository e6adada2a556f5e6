import { ValidateIf } from 'class-validator';

/**
 * May be left out, but not sent as null. IsOptional skips validation for null too, so a null
 * timeoutMs was stored as the default and a null url reached the use case; with this decorator the
 * field's own checks run on null and refuse it with a 400.
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
