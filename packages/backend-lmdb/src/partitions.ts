import { ConfigError, Subscription, compareTypes } from '@eventum/core';
import type { EventType, OrderBy } from '@eventum/core';

import type { LmdbPartitionConfig, LmdbPartitionLimit } from './config.js';
import type { LmdbEnvironment } from './environment.js';
import { lowKey, readU64, u64Key } from './keys.js';

/** A configured timeseries partition with its stable id. */
export interface Partition {
  readonly id: number;
  /** Position in the configuration (ties in partition selection go to the first). */
  readonly index: number;
  readonly orderBy: OrderBy;
  readonly subscription: Subscription;
  /** Sorted sanitised query types, JSON: equal strings mean equal subscriptions. */
  readonly typesKey: string;
  readonly limit: LmdbPartitionLimit | null;
}

/** A partition record of TIMESERIES_PARTITION (Hat's JSON). */
export interface PartitionData {
  readonly order: OrderBy;
  readonly subscriptions: EventType[];
}

/** Hat's identity of a partition: the order and its sorted sanitised query types. */
export function partitionData(orderBy: OrderBy, subscription: Subscription): PartitionData {
  return { order: orderBy, subscriptions: subscription.getQueryTypes().sort(compareTypes) };
}

/**
 * Resolves the configured partitions inside the start-up write transaction: a partition whose
 * identity (order + sorted sanitised subscriptions, not its limit) is stored keeps its id, a new
 * one gets the greatest stored id + 1. Loads counts and sizes (computing a missing size once).
 * Two configured partitions with the same identity are a {@link ConfigError}.
 */
export function resolvePartitions(
  env: LmdbEnvironment,
  configs: readonly LmdbPartitionConfig[],
): Partition[] {
  const stored = readPartitions(env);
  let nextId = Math.max(0, ...stored.keys()) + 1;
  const byIdentity = new Map([...stored].map(([id, data]) => [identityOf(data), id]));
  const seen = new Set<number>();
  return configs.map((config, index) => {
    const orderBy = config.order_by === 'TIMESTAMP' ? 'timestamp' : 'sourceTimestamp';
    const subscription = new Subscription(config.subscriptions);
    const data = partitionData(orderBy, subscription);
    const identity = identityOf(data);
    let id = byIdentity.get(identity);
    if (id === undefined) {
      id = nextId++;
      byIdentity.set(identity, id);
      env.dbs.TIMESERIES_PARTITION.putSync(u64Key(id), Buffer.from(JSON.stringify(data), 'utf8'));
    }
    if (seen.has(id)) {
      const message = 'same order_by and subscriptions as an earlier partition';
      throw new ConfigError([{ path: `/timeseries/${index}`, message }]);
    }
    seen.add(id);
    if (readCount(env, 'TIMESERIES_SIZE', id) === undefined) {
      measurePartition(env, id, readCount(env, 'TIMESERIES_COUNT', id) ?? 0);
    }
    const typesKey = JSON.stringify(data.subscriptions);
    return { id, index, orderBy, subscription, typesKey, limit: config.limit ?? null };
  });
}

function identityOf(data: PartitionData): string {
  return JSON.stringify([data.order, [...data.subscriptions].sort(compareTypes)]);
}

/** Every stored partition record by id. */
export function readPartitions(env: {
  readonly dbs: { readonly TIMESERIES_PARTITION?: LmdbEnvironment['dbs']['TIMESERIES_PARTITION'] };
}): Map<number, PartitionData> {
  const out = new Map<number, PartitionData>();
  const db = env.dbs.TIMESERIES_PARTITION;
  if (db === undefined) return out;
  for (const { key, value } of db.getRange({})) {
    out.set(readU64(key), JSON.parse(value.toString('utf8')) as PartitionData);
  }
  return out;
}

function readCount(
  env: LmdbEnvironment,
  db: 'TIMESERIES_COUNT' | 'TIMESERIES_SIZE',
  id: number,
): number | undefined {
  const value = env.dbs[db].get(u64Key(id));
  return value === undefined ? undefined : readU64(value);
}

/** Sums key and value sizes of a partition (files written by Hat have no TIMESERIES_SIZE). */
function measurePartition(env: LmdbEnvironment, id: number, count: number): void {
  let size = 0;
  if (count > 0) {
    const range = { start: lowKey(id, null), end: lowKey(id + 1, null) };
    for (const { key, value } of env.dbs.TIMESERIES_DATA.getRange(range)) {
      size += key.length + value.length;
    }
  }
  env.dbs.TIMESERIES_SIZE.putSync(u64Key(id), u64Key(size));
}
