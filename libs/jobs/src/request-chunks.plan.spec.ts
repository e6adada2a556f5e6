import { chunkBySize } from './request-chunks.plan';

describe('chunkBySize', () => {
  const size = (s: string) => s.length;

  it('keeps every chunk under the bound, in order', () => {
    expect(chunkBySize(['aaa', 'bb', 'cccc', 'd'], size, 5)).toEqual([
      ['aaa', 'bb'],
      ['cccc', 'd'],
    ]);
  });

  it('sends an item above the bound alone rather than never', () => {
    expect(chunkBySize(['a', 'bbbbbbb', 'c'], size, 5)).toEqual([['a'], ['bbbbbbb'], ['c']]);
  });

  it('has no chunk for no items', () => {
    expect(chunkBySize([], size, 5)).toEqual([]);
  });
});
