import { decidePurgeRequest } from './purge-request.policy';

const NOW = new Date('2026-12-02T12:00:00Z');
const EP = '0b7c7c1e-3c1a-4c5e-9a51-2f0e8a7d9b10';

describe('decidePurgeRequest', () => {
  it('takes exactly one selector', () => {
    expect(decidePurgeRequest({ eventId: 'evt_1' }, NOW)).toEqual({
      ok: true,
      selector: { by: 'event', eventId: 'evt_1' },
    });
    expect(decidePurgeRequest({ endpointId: EP.toUpperCase() }, NOW)).toEqual({
      ok: true,
      selector: { by: 'endpoint', endpointId: EP },
    });
    expect(decidePurgeRequest({ before: '2026-11-01T00:00:00Z' }, NOW)).toEqual({
      ok: true,
      selector: { by: 'before', before: new Date('2026-11-01T00:00:00Z') },
    });
  });

  it('refuses no selector, naming all three fields', () => {
    const d = decidePurgeRequest({}, NOW);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.fields.map((f) => f.field)).toEqual(['eventId', 'endpointId', 'before']);
  });

  it('refuses two selectors, naming both and not the third', () => {
    const d = decidePurgeRequest({ eventId: 'evt_1', before: '2026-11-01T00:00:00Z' }, NOW);
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.fields.map((f) => f.field)).toEqual(['eventId', 'before']);
      expect(d.fields[0].message).toContain('eventId and before');
    }
  });

  it('treats null as absent', () => {
    expect(decidePurgeRequest({ eventId: 'e', endpointId: null }, NOW).ok).toBe(true);
  });

  it.each([
    [{ eventId: '' }, 'eventId'],
    [{ eventId: 42 }, 'eventId'],
    [{ eventId: 'x'.repeat(201) }, 'eventId'],
    [{ endpointId: 'not-a-uuid' }, 'endpointId'],
    [{ before: 'yesterday' }, 'before'],
    [{ before: '2026-11-01' }, 'before'],
    [{ before: '2026-11-01T00:00:00' }, 'before'],
    [{ before: '2026-13-45T00:00:00Z' }, 'before'],
  ])('refuses %j on %s', (input, field) => {
    const d = decidePurgeRequest(input, NOW);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.fields).toEqual([{ field, message: expect.any(String) }]);
  });

  it('refuses a before in the future but takes now and an offset zone', () => {
    const future = decidePurgeRequest({ before: '2026-12-02T12:00:01Z' }, NOW);
    expect(future).toEqual({
      ok: false,
      fields: [{ field: 'before', message: 'must not be in the future' }],
    });
    expect(decidePurgeRequest({ before: NOW.toISOString() }, NOW).ok).toBe(true);
    expect(decidePurgeRequest({ before: '2026-12-02T13:00:00+02:00' }, NOW).ok).toBe(true);
  });
});
