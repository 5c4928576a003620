// The public surface of @eventum/backend-postgres: explicit named exports only.

export { createPostgresBackend, postgresBackend } from './plugin.js';
export { postgresConfigSchema } from './config-schema.js';
export {
  DEFAULT_CLEANUP_PERIOD,
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_FLUSH_COUNT,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_REGISTERED_COUNT,
  DEFAULT_POOL_SIZE,
  DEFAULT_SCHEMA,
  DEFAULT_TIMESERIES_MAX_RESULTS,
} from './config.js';
export type { PostgresBackendConfig } from './config.js';
export { MAX_PARTITIONS, SCHEMA_VERSION } from './schema.js';
export { DEFAULT_LEASE_CHECK_PERIOD_MS, createPostgresLease } from './lease.js';
export type { PostgresLeaseOptions } from './lease.js';
