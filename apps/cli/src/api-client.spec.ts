import { describeApiError } from './api-client';
import { launcherPath } from './commands/operator.command';

describe('describeApiError', () => {
  it('says the message, the fields and the status with its code, in one line', () => {
    expect(
      describeApiError(422, {
        error: {
          code: 'UNKNOWN_EVENT_TYPE',
          message: 'unknown event type',
          fields: [{ field: 'eventTypes', message: 'nope.x' }],
        },
      }),
    ).toEqual({
      message: 'unknown event type (eventTypes nope.x) [422 UNKNOWN_EVENT_TYPE]',
      code: 'UNKNOWN_EVENT_TYPE',
    });
    expect(
      describeApiError(401, { error: { code: 'UNAUTHENTICATED', message: 'unknown or revoked API key' } })
        .message,
    ).toBe('unknown or revoked API key [401 UNAUTHENTICATED]');
  });

  it('falls back to the status and any text', () => {
    expect(describeApiError(502, 'Bad Gateway')).toEqual({ message: 'the API answered 502: Bad Gateway' });
    expect(describeApiError(500, undefined)).toEqual({ message: 'the API answered 500' });
  });
});

describe('launcherPath', () => {
  it('is the all-in-one entry point beside the CLI in dist', () => {
    expect(launcherPath('/app/dist/apps/cli/src')).toBe('/app/dist/apps/herald/src/main.js');
  });
});
