import { DomainError, ErrorCode, type AttemptErrorClass } from '@herald/contracts';

/** Why a URL failed verification, as the 422's `error.details` shows it. */
export type VerificationFailure =
  /** It answered, but not 200 (a 201 or 204 fails too: NexaDesk asks for exactly 200). */
  | { status: number }
  | {
      reason: 'timeout' | 'refused' | 'dns' | 'tls' | 'reset' | 'unsafe_address' | 'unknown';
      message: string | null;
    };

/** What the performer reports of one ping (SendResult's fields this rule reads). */
export interface PingAnswer {
  status: number | null;
  errorClass: AttemptErrorClass | null;
  errorMessage: string | null;
}

/** The ping's answer as a verdict: null when the URL answered exactly 200, else why not. */
export function verificationFailure(answer: PingAnswer): VerificationFailure | null {
  if (answer.status === 200) return null;
  if (answer.status !== null) return { status: answer.status };
  return { reason: reasonOf(answer.errorClass), message: answer.errorMessage };
}

function reasonOf(
  errorClass: AttemptErrorClass | null,
): Exclude<VerificationFailure, { status: number }>['reason'] {
  switch (errorClass) {
    case 'timeout':
    case 'dns':
    case 'tls':
    case 'reset':
    case 'unsafe_address':
      return errorClass;
    // Refused, or the host or network unreachable: nothing accepted the connection.
    case 'connect':
      return 'refused';
    default:
      return 'unknown';
  }
}

/**
 * The error a failed verification answers (422 ENDPOINT_VERIFICATION_FAILED, the failure shown as
 * `error.details`); nothing was stored. The URL is left out of the message: it may carry a token.
 */
export function verificationError(failure: VerificationFailure): DomainError {
  const why =
    'status' in failure ? `was answered with ${failure.status}, not 200` : `failed (${failure.reason})`;
  return new DomainError(
    ErrorCode.EndpointVerificationFailed,
    `the test ping to the endpoint's URL ${why}; the endpoint was not created`,
    { field: 'url', verification: failure },
  );
}
