// @eventum/sourcing/postgres: recorders on PostgreSQL (wraps `pg`).
export { createPostgresRecorders } from './postgres-recorders.js';
export { postgresConfigSchema } from '../persistence-schemas.js';
export type { PostgresRecorderOptions } from './postgres-recorders.js';
export { MAX_EVENTS_PER_INSERT, SCHEMA_VERSION } from './schema.js';
export { PostgresWake, acquireRunLock, createPostgresWake, wakeChannel } from './wake.js';
export type { PostgresWakeOptions } from './wake.js';
