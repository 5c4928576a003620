// @eventum/sourcing/postgres: recorders on PostgreSQL (wraps `pg`).
export { createPostgresRecorders, postgresConfigSchema } from './postgres-recorders.js';
export type { PostgresRecorderOptions } from './postgres-recorders.js';
export { MAX_EVENTS_PER_INSERT, SCHEMA_VERSION } from './schema.js';
