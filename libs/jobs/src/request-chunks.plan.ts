/**
 * Splits a job's records into sends that each stay under `maxBytes` of values: the records of one
 * endpoint share a key, hence a partition, and a fetch's worth of matches in one produce request
 * exceeds the broker's 1 MiB default message size. A record larger than the bound goes alone.
 */
export function chunkBySize<T>(items: T[], size: (item: T) => number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (current.length > 0 && bytes + itemBytes > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += itemBytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
