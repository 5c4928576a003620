import { DEFAULT_TIMESERIES, Durability } from '@eventum/core';
import type { ConditionRule, EventType, PartitionConfig } from '@eventum/core';

/** Default data file, relative to the server's configuration file (the CLI resolves it). */
export const DEFAULT_DB_PATH = './data/eventum.db';
/** Default longest time (s) registered events wait in memory before a flush. */
export const DEFAULT_FLUSH_PERIOD = 1;
/** Default pause (s) between retention cleanup passes. */
export const DEFAULT_CLEANUP_PERIOD = 5;
/** Default cap on events per timeseries or server query page. */
export const DEFAULT_TIMESERIES_MAX_RESULTS = 4096;
/** Default size of the event type → routing (latest, partitions, conditions) cache. */
export const DEFAULT_EVENT_TYPE_CACHE_SIZE = 262_144;
/**
 * Default number of waiting events that starts a flush before `flush_period` is up. Under a
 * steady load this keeps generations small: staged events are written (and dropped) while they
 * are still young objects for the garbage collector, which otherwise copies each of them twice.
 */
export const DEFAULT_FLUSH_COUNT = 4096;
/** Default number of waiting events that forces a flush before `flush_period` is up. */
export const DEFAULT_MAX_REGISTERED_COUNT = 262_144;

/** The LMDB names of the storage configuration types shared with other backends. */
export type {
  ConditionConfig as LmdbCondition,
  ConditionRule as LmdbConditionRule,
  JsonDataType as LmdbJsonDataType,
  JsonPath as LmdbJsonPath,
  PartitionConfig as LmdbPartitionConfig,
  PartitionLimit as LmdbPartitionLimit,
  PartitionOrderBy,
} from '@eventum/core';

/**
 * The `backend` section of the server configuration for LMDB, with Hat's field names
 * (`hat-event://backends/lmdb.yaml`). Every field is optional; see the `DEFAULT_*` constants.
 */
export interface LmdbBackendConfig {
  readonly type?: 'lmdb';
  /** The data file (one file plus `<db_path>-lock`); created if missing. */
  readonly db_path?: string;
  /** Identity guard: stored on first use, a different value later is refused; null removes it. */
  readonly identifier?: string | null;
  readonly flush_period?: number;
  /** What a register response promises: `buffered` (default) or `committed` (durable). */
  readonly durability?: Durability;
  /** Waiting events that start a flush early; registration does not wait for it. */
  readonly flush_count?: number;
  readonly cleanup_period?: number;
  readonly conditions?: readonly ConditionRule[];
  readonly latest?: { readonly subscriptions?: readonly EventType[] };
  readonly timeseries?: readonly PartitionConfig[];
  readonly timeseries_max_results?: number;
  readonly timeseries_event_type_cache_size?: number;
  readonly max_registered_count?: number;
  /** Delete the entries of stored partitions that are no longer configured (default false:
   * they are kept, unqueried, so a mistyped partition never costs data). */
  readonly remove_unconfigured_partitions?: boolean;
}

/** {@link LmdbBackendConfig} with every default filled in. */
export interface ResolvedLmdbConfig {
  readonly dbPath: string;
  readonly identifier: string | null;
  readonly durability: Durability;
  readonly flushPeriodMs: number;
  readonly flushCount: number;
  readonly cleanupPeriodMs: number;
  readonly conditions: readonly ConditionRule[];
  readonly latestSubscriptions: readonly EventType[];
  readonly timeseries: readonly PartitionConfig[];
  readonly maxResults: number;
  readonly eventTypeCacheSize: number;
  readonly maxRegisteredCount: number;
  readonly removeUnconfiguredPartitions: boolean;
}

export { DEFAULT_TIMESERIES } from '@eventum/core';

/** Fills the defaults of `config` (already validated against the schema). */
export function resolveLmdbConfig(config: LmdbBackendConfig): ResolvedLmdbConfig {
  return {
    dbPath: config.db_path ?? DEFAULT_DB_PATH,
    identifier: config.identifier ?? null,
    durability: config.durability ?? Durability.Buffered,
    flushPeriodMs: (config.flush_period ?? DEFAULT_FLUSH_PERIOD) * 1000,
    flushCount: config.flush_count ?? DEFAULT_FLUSH_COUNT,
    cleanupPeriodMs: (config.cleanup_period ?? DEFAULT_CLEANUP_PERIOD) * 1000,
    conditions: config.conditions ?? [],
    latestSubscriptions: config.latest?.subscriptions ?? [['*']],
    timeseries: config.timeseries ?? DEFAULT_TIMESERIES,
    maxResults: config.timeseries_max_results ?? DEFAULT_TIMESERIES_MAX_RESULTS,
    eventTypeCacheSize: config.timeseries_event_type_cache_size ?? DEFAULT_EVENT_TYPE_CACHE_SIZE,
    maxRegisteredCount: config.max_registered_count ?? DEFAULT_MAX_REGISTERED_COUNT,
    removeUnconfiguredPartitions: config.remove_unconfigured_partitions ?? false,
  };
}
