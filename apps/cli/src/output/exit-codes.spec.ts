import { CliError, ExitCode, describeFailure, exitCodeForStatus, isUnreachable, oneLine } from './exit-codes';

describe('exit codes', () => {
  it('maps API statuses', () => {
    expect(exitCodeForStatus(401)).toBe(ExitCode.Auth);
    expect(exitCodeForStatus(403)).toBe(ExitCode.Auth);
    expect(exitCodeForStatus(404)).toBe(ExitCode.NotFound);
    for (const status of [400, 409, 422, 429, 500, 503])
      expect(exitCodeForStatus(status)).toBe(ExitCode.Failed);
  });

  it('knows an unreachable server from its cause', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(isUnreachable(refused)).toBe(true);
    expect(isUnreachable(new Error('boom'))).toBe(false);
    expect(describeFailure(refused)).toEqual({ exitCode: ExitCode.Unreachable, message: 'fetch failed' });
  });

  it('keeps CliError codes and prints one line', () => {
    expect(describeFailure(new CliError('a\n  b', ExitCode.Usage))).toEqual({ exitCode: 2, message: 'a b' });
    expect(describeFailure('text')).toEqual({ exitCode: 1, message: 'text' });
    expect(oneLine('x'.repeat(600))).toHaveLength(500);
  });
});
