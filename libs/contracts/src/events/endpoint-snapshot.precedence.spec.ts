import { supersedes } from './endpoint-snapshot.precedence';

describe('supersedes', () => {
  it('takes the first snapshot of an endpoint', () => {
    expect(supersedes(undefined, { version: 1 })).toBe(true);
  });

  it('takes a newer or equal version and ignores an older one', () => {
    expect(supersedes({ version: 2 }, { version: 3 })).toBe(true);
    expect(supersedes({ version: 2 }, { version: 2 })).toBe(true);
    expect(supersedes({ version: 2 }, { version: 1 })).toBe(false);
  });
});
