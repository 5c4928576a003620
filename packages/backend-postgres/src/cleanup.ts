import { Trigger, timestampAdd, timestampNow, toError } from '@eventum/core';
import type { Logger, PartitionLimit, Timestamp } from '@eventum/core';
import type pg from 'pg';

import { withConnection } from './rows.js';
import type { Partition } from './schema.js';

/** Most partition entries one cleanup transaction removes (Hat's `cleanup_max_results`). */
export const CLEANUP_MAX_ENTRIES = 1024;

/**
 * One retention pass (hat-event.md §4.4.9) in one transaction, skipped when another server of
 * the schema is running one (advisory lock): for each partition with a limit, in configuration
 * order, removes its oldest entries while more than `min_entries` remain and the partition holds
 * more than `max_entries`, more than `size` bytes of encoded events, or entries whose ordering
 * time is older than `duration` before `now`; at most `budget` entries in all. Then deletes the
 * events left in no partition and not the latest of their type. Returns the entries removed.
 */
export async function cleanupPass(
  client: pg.ClientBase,
  t: string,
  partitions: readonly Partition[],
  now: Timestamp,
  budget = CLEANUP_MAX_ENTRIES,
): Promise<number> {
  await client.query('BEGIN');
  try {
    const lock = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
      [`eventum-cleanup:${t}`],
    );
    let removed = 0;
    if (lock.rows[0]?.locked === true) {
      for (const partition of partitions) {
        if (partition.limit === null || removed >= budget) continue;
        removed += await cleanPartition(
          client,
          t,
          partition,
          partition.limit,
          now,
          budget - removed,
        );
      }
      await client.query(
        `DELETE FROM ${t}.events e WHERE e.partitions = 0 AND NOT EXISTS (SELECT 1 FROM ${t}.latest l
           WHERE (l.server_id, l.session_id, l.instance_id) = (e.server_id, e.session_id, e.instance_id))`,
      );
    }
    await client.query('COMMIT');
    return removed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function cleanPartition(
  client: pg.ClientBase,
  t: string,
  partition: Partition,
  limit: PartitionLimit,
  now: Timestamp,
  budget: number,
): Promise<number> {
  const [s, us] = partition.orderBy === 'timestamp' ? ['t_s', 't_us'] : ['st_s', 'st_us'];
  const inPartition = `(partitions & ${partition.bit}) <> 0`;
  const maxSize = limit.size;
  const needsSize = maxSize !== undefined;
  const stats = await client.query<{ count: string; size: string | null }>(
    `SELECT count(*) AS count, ${needsSize ? 'sum(octet_length(encoded))' : 'NULL'} AS size
       FROM ${t}.events WHERE ${inPartition}`,
  );
  const count = Number(stats.rows[0]!.count);
  const size = Number(stats.rows[0]!.size ?? 0);
  const min = limit.min_entries ?? 0;
  let maxEntries = limit.max_entries ?? Infinity;
  if (maxSize !== undefined && count > 0 && size > maxSize) {
    maxEntries = Math.min(maxEntries, Math.floor(maxSize / (size / count)));
  }
  const overCount = Math.max(0, count - Math.max(min, maxEntries));
  const room = Math.min(budget, Math.max(0, count - min));
  const order = `ORDER BY ${s}, ${us}, server_id, session_id, instance_id`;
  const values: unknown[] = [room, overCount];
  let expired = 'false';
  if (limit.duration !== undefined) {
    const cutoff = timestampAdd(now, -limit.duration);
    values.push(cutoff.s, cutoff.us);
    expired = `(${s}, ${us}) < ($3, $4)`;
  }
  // The oldest `room` entries, numbered: the first `overCount` go, and after them the expired.
  const result = await client.query(
    `WITH oldest AS (
       SELECT server_id, session_id, instance_id, row_number() OVER (${order}) AS n,
              ${expired} AS expired
       FROM (SELECT * FROM ${t}.events WHERE ${inPartition} ${order} LIMIT $1) x)
     UPDATE ${t}.events e SET partitions = e.partitions & ~${partition.bit}
       FROM oldest o
      WHERE (e.server_id, e.session_id, e.instance_id) = (o.server_id, o.session_id, o.instance_id)
        AND (o.n <= $2 OR o.expired)`,
    values,
  );
  return result.rowCount ?? 0;
}

/** Runs {@link cleanupPass} every `periodMs` (again at once while a pass hits its budget). */
export async function cleanupLoop(
  pool: pg.Pool,
  t: string,
  partitions: readonly Partition[],
  periodMs: number,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const pause = new Trigger();
  while (!signal.aborted) {
    await pause.wait(periodMs, signal);
    let removed = CLEANUP_MAX_ENTRIES;
    while (removed >= CLEANUP_MAX_ENTRIES && !signal.aborted) {
      removed = await cleanupOnce(pool, t, partitions).catch((error: unknown) => {
        logger.warn('cleanup failed; retried later', { error: toError(error).message });
        return 0;
      });
    }
  }
}

function cleanupOnce(pool: pg.Pool, t: string, partitions: readonly Partition[]): Promise<number> {
  return withConnection(pool, (client) => cleanupPass(client, t, partitions, timestampNow()));
}
