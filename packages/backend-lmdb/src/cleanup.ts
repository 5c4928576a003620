import { timestampAdd } from '@eventum/core';
import type { Timestamp } from '@eventum/core';

import type { LmdbEnvironment } from './environment.js';
import { KEY_ID_OFFSET, TIMESERIES_KEY_BYTES, compareKeys, highKey, lowKey, u64Key } from './keys.js';
import type { Partition } from './partitions.js';
import { decodeRefs, encodeEventRefs } from './refs.js';

/** Most timeseries entries one cleanup transaction deletes (Hat's `cleanup_max_results`). */
export const CLEANUP_MAX_ENTRIES = 1024;

interface Removal {
  readonly partition: Partition;
  readonly key: Buffer;
  readonly size: number;
}

/**
 * One retention pass in one transaction: for each partition with a limit (configuration order),
 * deletes its oldest flushed entries while more than `min_entries` remain and the partition is
 * over `max_entries`, over `size` bytes, or the entry's ordering time is older than `duration`
 * before `now`; at most `budget` deletions in all. The deleted entries' references leave REF
 * (a record with none left is deleted). Resolves with the number of deletions once committed.
 */
export async function cleanupPass(
  env: LmdbEnvironment,
  partitions: readonly Partition[],
  now: Timestamp,
  budget = CLEANUP_MAX_ENTRIES,
): Promise<number> {
  const removals: Removal[] = [];
  for (const partition of partitions) {
    if (removals.length >= budget) break;
    collectRemovals(env, partition, now, budget - removals.length, removals);
  }
  if (removals.length === 0) return 0;
  const totals = totalsOf(removals);
  await env.root.batch(() => {
    for (const { key } of removals) void env.dbs.TIMESERIES_DATA.remove(key);
    for (const [partition, total] of totals) {
      const partitionKey = u64Key(partition.id);
      void env.dbs.TIMESERIES_COUNT.put(partitionKey, u64Key(partition.count - total.count));
      void env.dbs.TIMESERIES_SIZE.put(partitionKey, u64Key(Math.max(0, partition.size - total.size)));
    }
    removeRefs(env, removals);
  });
  for (const [partition, total] of totals) {
    partition.count -= total.count;
    partition.size = Math.max(0, partition.size - total.size);
  }
  return removals.length;
}

function collectRemovals(
  env: LmdbEnvironment,
  partition: Partition,
  now: Timestamp,
  budget: number,
  out: Removal[],
): void {
  const limit = partition.limit;
  if (limit === null) return;
  const minEntries = limit.min_entries ?? 0;
  const maxEntries = limit.max_entries ?? Infinity;
  const maxSize = limit.size ?? Infinity;
  const cutoff = limit.duration === undefined ? null : lowKey(partition.id, timestampAdd(now, -limit.duration));
  let count = partition.count;
  let size = partition.size;
  const range = { start: lowKey(partition.id, null), end: highKey(partition.id, null) };
  for (const { key, value } of env.dbs.TIMESERIES_DATA.getRange(range)) {
    if (budget-- <= 0 || count <= minEntries) break;
    const expired = cutoff !== null && compareKeys(key, cutoff) < 0;
    if (!(count > maxEntries || size > maxSize || expired)) break;
    const entrySize = key.length + value.length;
    out.push({ partition, key, size: entrySize });
    count--;
    size -= entrySize;
  }
}

function totalsOf(removals: readonly Removal[]): Map<Partition, { count: number; size: number }> {
  const totals = new Map<Partition, { count: number; size: number }>();
  for (const { partition, size } of removals) {
    const total = totals.get(partition) ?? { count: 0, size: 0 };
    total.count++;
    total.size += size;
    totals.set(partition, total);
  }
  return totals;
}

/** Drops the removed entries' timeseries references from REF, grouped per event. */
function removeRefs(env: LmdbEnvironment, removals: readonly Removal[]): void {
  const byEvent = new Map<string, { idKey: Buffer; keys: Buffer[] }>();
  for (const { key } of removals) {
    const idKey = key.subarray(KEY_ID_OFFSET, TIMESERIES_KEY_BYTES);
    const text = idKey.toString('hex');
    const entry = byEvent.get(text) ?? { idKey: Buffer.from(idKey), keys: [] };
    entry.keys.push(key);
    byEvent.set(text, entry);
  }
  for (const { idKey, keys } of byEvent.values()) {
    const value = env.dbs.REF.get(idKey);
    if (value === undefined) continue;
    const refs = decodeRefs(value).filter(
      (r) => r.kind !== 'timeseries' || !keys.some((k) => k.equals(r.key)),
    );
    if (refs.length === 0) void env.dbs.REF.remove(idKey);
    else void env.dbs.REF.put(idKey, encodeEventRefs(refs));
  }
}
