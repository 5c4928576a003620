import { timestampAdd } from '@eventum/core';
import type { Timestamp } from '@eventum/core';

import type { LmdbPartitionLimit } from './config.js';
import { addDelta } from './counters.js';
import type { CountDeltas, PartitionCounters } from './counters.js';
import type { LmdbEnvironment } from './environment.js';
import {
  KEY_ID_OFFSET,
  TIMESERIES_KEY_BYTES,
  compareKeys,
  highKey,
  lowKey,
  u64Key,
} from './keys.js';
import { decodeRefs, encodeEventRefs } from './refs.js';

/** Most timeseries entries one cleanup transaction deletes (Hat's `cleanup_max_results`). */
export const CLEANUP_MAX_ENTRIES = 1024;

/** A partition as the cleanup sees it. */
export interface CleanupPartition {
  readonly id: number;
  readonly limit: LmdbPartitionLimit | null;
}

/** What a cleanup pass did. */
export interface CleanupResult {
  readonly deltas: CountDeltas;
  /** No longer configured partitions that are now empty and forgotten. */
  readonly dropped: readonly number[];
}

/** Orphans (partitions no longer configured) lose every entry. */
const ORPHAN_LIMIT: LmdbPartitionLimit = { max_entries: 0 };

/**
 * One retention pass, inside the caller's write transaction: for each partition with a limit
 * (configuration order), deletes its oldest entries while more than `min_entries` remain and the
 * partition is over `max_entries`, over `size` bytes, or the entry's ordering time is older than
 * `duration` before `now`; then empties `orphans` (stored partitions no longer configured) and
 * forgets those left empty. At most `budget` deletions in all. The deleted entries' references
 * leave REF (a record left with none is deleted).
 */
export function cleanupPass(
  env: LmdbEnvironment,
  partitions: readonly CleanupPartition[],
  orphans: readonly number[],
  counters: PartitionCounters,
  now: Timestamp,
  budget = CLEANUP_MAX_ENTRIES,
): CleanupResult {
  const deltas: CountDeltas = new Map();
  const removed: Buffer[] = [];
  const dropped: number[] = [];
  const targets = [
    ...partitions.filter((p) => p.limit !== null),
    ...orphans.map((id) => ({ id, limit: ORPHAN_LIMIT })),
  ];
  for (const { id, limit } of targets) {
    const room = budget - removed.length;
    if (room <= 0 || limit === null) break;
    const keys = expiredKeys(env, id, limit, counters, now, room);
    for (const { key, size } of keys) {
      env.dbs.TIMESERIES_DATA.removeSync(key);
      addDelta(deltas, id, -1, -size);
      removed.push(key);
    }
    if (limit === ORPHAN_LIMIT && keys.length < room) dropped.push(id);
  }
  if (removed.length > 0) {
    counters.write(env, deltas);
    removeRefs(env, removed);
  }
  for (const id of dropped) forgetPartition(env, id);
  return { deltas, dropped };
}

function forgetPartition(env: LmdbEnvironment, id: number): void {
  const key = u64Key(id);
  env.dbs.TIMESERIES_PARTITION.removeSync(key);
  env.dbs.TIMESERIES_COUNT.removeSync(key);
  env.dbs.TIMESERIES_SIZE.removeSync(key);
}

/** Total deletions of a pass. */
export function removedCount(deltas: CountDeltas): number {
  let n = 0;
  for (const delta of deltas.values()) n -= delta.count;
  return n;
}

function expiredKeys(
  env: LmdbEnvironment,
  id: number,
  limit: LmdbPartitionLimit,
  counters: PartitionCounters,
  now: Timestamp,
  budget: number,
): { key: Buffer; size: number }[] {
  const minEntries = limit.min_entries ?? 0;
  const maxEntries = limit.max_entries ?? Infinity;
  const maxSize = limit.size ?? Infinity;
  const cutoff =
    limit.duration === undefined ? null : lowKey(id, timestampAdd(now, -limit.duration));
  // Orphans are emptied whatever their (possibly missing) counts say.
  const all = limit === ORPHAN_LIMIT;
  let { count, size } = all ? { count: Infinity, size: Infinity } : counters.get(id);
  const out: { key: Buffer; size: number }[] = [];
  for (const { key, value } of env.dbs.TIMESERIES_DATA.getRange({
    start: lowKey(id, null),
    end: highKey(id, null),
  })) {
    if (out.length >= budget || count <= minEntries) break;
    const expired = cutoff !== null && compareKeys(key, cutoff) < 0;
    if (!(count > maxEntries || size > maxSize || expired)) break;
    const entrySize = key.length + value.length;
    out.push({ key, size: entrySize });
    count--;
    size -= entrySize;
  }
  return out;
}

/** Drops the removed entries' timeseries references from REF, grouped per event. */
function removeRefs(env: LmdbEnvironment, removed: readonly Buffer[]): void {
  const byEvent = new Map<string, Buffer[]>();
  for (const key of removed) {
    const text = key.toString('hex', KEY_ID_OFFSET, TIMESERIES_KEY_BYTES);
    const keys = byEvent.get(text);
    if (keys === undefined) byEvent.set(text, [key]);
    else keys.push(key);
  }
  for (const [text, keys] of byEvent) {
    const idKey = Buffer.from(text, 'hex');
    const value = env.dbs.REF.get(idKey);
    if (value === undefined) continue;
    const refs = decodeRefs(value).filter(
      (r) => r.kind !== 'timeseries' || !keys.some((k) => k.equals(r.key)),
    );
    if (refs.length === 0) env.dbs.REF.removeSync(idKey);
    else env.dbs.REF.putSync(idKey, encodeEventRefs(refs));
  }
}
