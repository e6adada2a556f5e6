import { endpointBody } from './endpoint-body';

describe('endpointBody', () => {
  it('sends only what the flags set, over --body', () => {
    expect(
      endpointBody({
        url: 'https://x.test/h',
        eventTypes: 'message.*, lead.created',
        filter: '{"data.communicationType":"sms"}',
        timeoutMs: '5000',
        retrySchedule: '5s,1m',
        header: ['X-Team=core', 'X-A=b=c'],
        fifo: true,
        body: '{"description":"from body","line":"l1"}',
        description: 'from flag',
      }),
    ).toEqual({
      url: 'https://x.test/h',
      eventTypes: ['message.*', 'lead.created'],
      filter: { 'data.communicationType': 'sms' },
      timeoutMs: 5000,
      retrySchedule: ['5s', '1m'],
      headers: { 'X-Team': 'core', 'X-A': 'b=c' },
      fifo: true,
      description: 'from flag',
      line: 'l1',
    });
    expect(endpointBody({ disabled: false })).toEqual({ disabled: false });
  });

  it('refuses bad values with the flag named', () => {
    expect(() => endpointBody({ filter: '{' })).toThrow(/--filter is not JSON/);
    expect(() => endpointBody({ body: '[1]' })).toThrow(/--body must be a JSON object/);
    expect(() => endpointBody({ timeoutMs: 'soon' })).toThrow(/--timeout-ms/);
    expect(() => endpointBody({ header: ['novalue'] })).toThrow(/--header novalue/);
  });
});
