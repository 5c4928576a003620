// The public surface of @eventum/backend-lmdb: explicit named exports only.

export { createLmdbBackend, lmdbBackend } from './plugin.js';
export { lmdbConfigSchema } from './config-schema.js';
export {
  DEFAULT_CLEANUP_PERIOD,
  DEFAULT_DB_PATH,
  DEFAULT_EVENT_TYPE_CACHE_SIZE,
  DEFAULT_FLUSH_COUNT,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_REGISTERED_COUNT,
  DEFAULT_TIMESERIES,
  DEFAULT_TIMESERIES_MAX_RESULTS,
} from './config.js';
export type {
  LmdbBackendConfig,
  LmdbCondition,
  LmdbConditionRule,
  LmdbJsonDataType,
  LmdbJsonPath,
  LmdbPartitionConfig,
  LmdbPartitionLimit,
  PartitionOrderBy,
} from './config.js';
export { STORAGE_VERSION } from './system.js';

export { copyLmdb } from './tools/copy.js';
export type { CopyLmdbOptions } from './tools/copy.js';
export { inspectLmdb, inspectionRecord } from './tools/inspect.js';
export type { LmdbInspection } from './tools/inspect.js';
export { readLmdb } from './tools/read.js';
export type { LmdbReadFilters, LmdbRecordKind } from './tools/read.js';
export type { ToolRecord } from './tools/json.js';
export { assertLmdbFile } from './file-header.js';
