import { DEFAULT_TIMESERIES, Durability } from '@eventum/core';
import type { ConditionRule, EventType, PartitionConfig } from '@eventum/core';

/** Default schema of the backend's tables. */
export const DEFAULT_SCHEMA = 'eventum';
/** Default number of connections in the pool (queries, flushes and cleanup share them). */
export const DEFAULT_POOL_SIZE = 10;
/** Default longest time (s) registered events wait in memory before a flush. */
export const DEFAULT_FLUSH_PERIOD = 0.1;
/** Default number of waiting events that starts a flush before `flush_period` is up. */
export const DEFAULT_FLUSH_COUNT = 4096;
/** Default number of waiting events past which registration waits for the flush in progress. */
export const DEFAULT_MAX_REGISTERED_COUNT = 262_144;
/** Default pause (s) between retention cleanup passes. */
export const DEFAULT_CLEANUP_PERIOD = 5;
/** Default cap on events per timeseries or server query page. */
export const DEFAULT_TIMESERIES_MAX_RESULTS = 4096;
/** Default time (s) to wait for a connection to PostgreSQL. */
export const DEFAULT_CONNECT_TIMEOUT = 10;

/**
 * The `backend` section of the server configuration for PostgreSQL. The storage fields
 * (`conditions`, `latest`, `timeseries`, `timeseries_max_results`) are the LMDB backend's
 * (Hat's names). Several servers may share one database and schema.
 */
export interface PostgresBackendConfig {
  readonly type?: 'postgres';
  /** Connection string, e.g. `postgres://eventum@db:5432/eventum`. */
  readonly url: string;
  /** Schema of the tables (created when missing); a lower-case SQL identifier. */
  readonly schema?: string;
  /** Connections in the pool. */
  readonly pool_size?: number;
  readonly connect_timeout?: number;
  readonly flush_period?: number;
  readonly flush_count?: number;
  readonly max_registered_count?: number;
  /** What a register response promises: `buffered` (default) or `committed` (durable). */
  readonly durability?: Durability;
  /** Notify this server's subscribers of events other servers store in the same schema
   * (PostgreSQL `LISTEN/NOTIFY`); default true. */
  readonly notify_other_servers?: boolean;
  readonly cleanup_period?: number;
  readonly conditions?: readonly ConditionRule[];
  readonly latest?: { readonly subscriptions?: readonly EventType[] };
  readonly timeseries?: readonly PartitionConfig[];
  readonly timeseries_max_results?: number;
}

/** {@link PostgresBackendConfig} with every default filled in (times in ms). */
export interface ResolvedPostgresConfig {
  readonly url: string;
  readonly schema: string;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly flushPeriodMs: number;
  readonly flushCount: number;
  readonly maxRegisteredCount: number;
  readonly durability: Durability;
  readonly notifyOtherServers: boolean;
  readonly cleanupPeriodMs: number;
  readonly conditions: readonly ConditionRule[];
  readonly latestSubscriptions: readonly EventType[];
  readonly timeseries: readonly PartitionConfig[];
  readonly maxResults: number;
}

/** Fills the defaults of `config` (already validated against the schema). */
export function resolvePostgresConfig(config: PostgresBackendConfig): ResolvedPostgresConfig {
  return {
    url: config.url,
    schema: config.schema ?? DEFAULT_SCHEMA,
    poolSize: config.pool_size ?? DEFAULT_POOL_SIZE,
    connectTimeoutMs: (config.connect_timeout ?? DEFAULT_CONNECT_TIMEOUT) * 1000,
    flushPeriodMs: (config.flush_period ?? DEFAULT_FLUSH_PERIOD) * 1000,
    flushCount: config.flush_count ?? DEFAULT_FLUSH_COUNT,
    maxRegisteredCount: config.max_registered_count ?? DEFAULT_MAX_REGISTERED_COUNT,
    durability: config.durability ?? Durability.Buffered,
    notifyOtherServers: config.notify_other_servers ?? true,
    cleanupPeriodMs: (config.cleanup_period ?? DEFAULT_CLEANUP_PERIOD) * 1000,
    conditions: config.conditions ?? [],
    latestSubscriptions: config.latest?.subscriptions ?? [['*']],
    timeseries: config.timeseries ?? DEFAULT_TIMESERIES,
    maxResults: config.timeseries_max_results ?? DEFAULT_TIMESERIES_MAX_RESULTS,
  };
}
