import { bodyRemoval } from './body-removal.rule';

const DAY = 86_400_000;
const now = new Date('2026-12-10T12:00:00Z');
const effective = { recordsDays: 30, bodiesDays: 7 };
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

describe('bodyRemoval', () => {
  it('shows a body inside its retention', () => {
    expect(bodyRemoval({ createdAt: daysAgo(6.9), purged: null }, effective, now)).toBeNull();
  });

  it('marks a body past its retention as removed at created + body retention', () => {
    expect(bodyRemoval({ createdAt: daysAgo(8), purged: null }, effective, now)).toEqual({
      reason: 'retention',
      at: daysAgo(1),
    });
  });

  it('keeps the purge marker over retention', () => {
    const purged = { reason: 'purged' as const, at: daysAgo(7.5) };
    expect(bodyRemoval({ createdAt: daysAgo(8), purged }, effective, now)).toBe(purged);
  });
});
