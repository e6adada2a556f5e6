/**
 * Group commit for one kind of write. While a write runs, the batches that arrive wait, then go
 * together in the next write, up to `maxRows` rows. Under load, the batches of many partitions become
 * one statement (one plan run, one transaction, one commit) instead of one each; a batch that arrives
 * alone waits only for the current turn of the event loop. When a merged write fails for a reason one
 * batch's rows may cause (`splitOn`), each of its batches is written again alone, so a batch fails
 * only for a reason of its own; any other failure (the database unreachable) fails them all at once,
 * rather than making each wait out the same failure in turn.
 *
 * The write must accept rows of several batches at once (the projector's statements are idempotent
 * upserts that dedupe their input), and each submitted promise settles once its rows are written.
 */
export class WriteCoalescer<T> {
  private readonly queue: PendingBatch<T>[] = [];
  private draining = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly options: { maxRows: number; splitOn: (error: unknown) => boolean },
  ) {}

  submit(rows: T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Batches handed over in the same turn (the partitions of one fetch) join the first write.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, batchesInNextWrite(this.queue, this.options.maxRows));
      await this.writeGroup(group);
    }
    this.draining = false;
  }

  private async writeGroup(group: PendingBatch<T>[]): Promise<void> {
    if (group.length > 1) {
      try {
        await this.write(group.flatMap((batch) => batch.rows));
        for (const batch of group) batch.resolve();
        return;
      } catch (error) {
        if (!this.options.splitOn(error)) {
          for (const batch of group) batch.reject(error);
          return;
        }
        // One batch may be the cause (or a deadlock took the whole statement): each goes alone.
      }
    }
    for (const batch of group) {
      try {
        await this.write(batch.rows);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
  }
}

interface PendingBatch<T> {
  rows: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * How many queued batches the next write takes: as many as fit in `maxRows`, and always the first,
 * however large (a batch is never split: its rows commit together).
 */
export function batchesInNextWrite(queue: readonly { rows: readonly unknown[] }[], maxRows: number): number {
  let rows = 0;
  let count = 0;
  for (const batch of queue) {
    if (count > 0 && rows + batch.rows.length > maxRows) break;
    rows += batch.rows.length;
    count += 1;
  }
  return count;
}
