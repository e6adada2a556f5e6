import { decideAutoDisable } from './auto-disable.policy';

describe('decideAutoDisable', () => {
  const command = { observedVersion: 3, reason: 'endpoint_gone' as const };

  it('disables an enabled endpoint still at the version the failures were seen against', () => {
    expect(decideAutoDisable({ version: 3, disabled: false }, command)).toEqual({
      apply: true,
      disabledReason: expect.stringContaining('410'),
    });
  });

  it('drops the command once the endpoint moved to another version', () => {
    expect(decideAutoDisable({ version: 4, disabled: false }, command)).toEqual({
      apply: false,
      skipped: 'version_changed',
    });
    expect(decideAutoDisable({ version: 2, disabled: false }, command)).toEqual({
      apply: false,
      skipped: 'version_changed',
    });
  });

  it('leaves an endpoint that is already disabled, and one that is gone', () => {
    expect(decideAutoDisable({ version: 3, disabled: true }, command)).toEqual({
      apply: false,
      skipped: 'already_disabled',
    });
    expect(decideAutoDisable(null, command)).toEqual({ apply: false, skipped: 'endpoint_not_found' });
  });
});
