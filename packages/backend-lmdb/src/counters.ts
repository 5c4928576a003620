import type { LmdbEnvironment } from './environment.js';
import { readU64, u64Key } from './keys.js';

/** Entries and bytes (keys plus values) of one partition on disk. */
export interface PartitionCount {
  count: number;
  size: number;
}

/** Changes of partition counts made inside a transaction, applied once it commits. */
export type CountDeltas = Map<number, PartitionCount>;

/** TIMESERIES_COUNT and TIMESERIES_SIZE of the partitions, kept by the writer. */
export class PartitionCounters {
  readonly #counts = new Map<number, PartitionCount>();

  /** Loads the counts of `ids` (missing records count as 0). */
  static load(env: LmdbEnvironment, ids: Iterable<number>): PartitionCounters {
    const counters = new PartitionCounters();
    for (const id of ids) {
      const key = u64Key(id);
      const count = env.dbs.TIMESERIES_COUNT.get(key);
      const size = env.dbs.TIMESERIES_SIZE.get(key);
      counters.#counts.set(id, {
        count: count === undefined ? 0 : readU64(count),
        size: size === undefined ? 0 : readU64(size),
      });
    }
    return counters;
  }

  get(id: number): PartitionCount {
    return this.#counts.get(id) ?? { count: 0, size: 0 };
  }

  /** Writes the counts `deltas` lead to (inside the transaction that made them). */
  write(env: LmdbEnvironment, deltas: CountDeltas): void {
    for (const [id, delta] of deltas) {
      const current = this.get(id);
      const key = u64Key(id);
      env.dbs.TIMESERIES_COUNT.putSync(key, u64Key(Math.max(0, current.count + delta.count)));
      env.dbs.TIMESERIES_SIZE.putSync(key, u64Key(Math.max(0, current.size + delta.size)));
    }
  }

  /** Applies `deltas` once their transaction has committed. */
  apply(deltas: CountDeltas): void {
    for (const [id, delta] of deltas) {
      const current = this.get(id);
      this.#counts.set(id, {
        count: Math.max(0, current.count + delta.count),
        size: Math.max(0, current.size + delta.size),
      });
    }
  }
}

/** Adds one entry change to `deltas`. */
export function addDelta(deltas: CountDeltas, id: number, count: number, size: number): void {
  const delta = deltas.get(id);
  if (delta === undefined) deltas.set(id, { count, size });
  else {
    delta.count += count;
    delta.size += size;
  }
}
