import { DomainError, ErrorCode } from '@herald/contracts';
import { verificationError, verificationFailure, type PingAnswer } from './verification.policy';

const answered = (status: number): PingAnswer => ({ status, errorClass: null, errorMessage: null });
const failed = (errorClass: PingAnswer['errorClass'], errorMessage = 'boom'): PingAnswer => ({
  status: null,
  errorClass,
  errorMessage,
});

describe('verificationFailure (verify-on-create)', () => {
  it('passes only an answer of exactly 200', () => {
    expect(verificationFailure(answered(200))).toBeNull();
  });

  it.each([201, 204, 299, 301, 401, 410, 500, 503])('fails %d with that status', (status) => {
    expect(verificationFailure(answered(status))).toEqual({ status });
  });

  it.each([
    ['timeout', 'timeout'],
    ['connect', 'refused'],
    ['dns', 'dns'],
    ['tls', 'tls'],
    ['reset', 'reset'],
    ['unsafe_address', 'unsafe_address'],
    ['unknown', 'unknown'],
    [null, 'unknown'],
  ] as const)('names a %s failure %s, with the message', (errorClass, reason) => {
    expect(verificationFailure(failed(errorClass, 'connect ECONNREFUSED'))).toEqual({
      reason,
      message: 'connect ECONNREFUSED',
    });
  });
});

describe('verificationError', () => {
  it('is ENDPOINT_VERIFICATION_FAILED about the url, carrying the failure and not the URL', () => {
    const error = verificationError({ status: 503 });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCode.EndpointVerificationFailed);
    expect(error.details).toEqual({ field: 'url', verification: { status: 503 } });
    expect(error.message).toContain('503');
    expect(verificationError({ reason: 'timeout', message: null }).message).toContain('timeout');
  });
});
