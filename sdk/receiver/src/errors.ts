/** Why a request was refused; each code has a message that says what to do about it. */
export type VerificationErrorCode =
  | 'NO_SECRETS'
  | 'SECRET_WHITESPACE'
  | 'UNKNOWN_SECRET_FORMAT'
  | 'NO_SIGNATURE'
  | 'NO_ID'
  | 'NO_TIMESTAMP'
  | 'BAD_TIMESTAMP'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_IN_FUTURE'
  | 'BODY_REPARSED'
  | 'BAD_SIGNATURE'
  | 'INVALID_PAYLOAD'
  | 'CANNOT_SIGN';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';

  constructor(
    readonly code: VerificationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: VerificationErrorCode, message: string): never {
  throw new WebhookVerificationError(code, message);
}
