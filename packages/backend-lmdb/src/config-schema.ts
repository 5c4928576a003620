import { storageSchemaDefs, storageSchemaProperties } from '@eventum/core';

import {
  DEFAULT_CLEANUP_PERIOD,
  DEFAULT_DB_PATH,
  DEFAULT_EVENT_TYPE_CACHE_SIZE,
  DEFAULT_FLUSH_COUNT,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_REGISTERED_COUNT,
  DEFAULT_TIMESERIES_MAX_RESULTS,
} from './config.js';

/**
 * JSON Schema of the LMDB backend section (Hat's `hat-event://backends/lmdb.yaml` field names,
 * all optional here, with defaults). Validators that apply `default`s fill them in.
 */
export const lmdbConfigSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    type: { const: 'lmdb' },
    db_path: { type: 'string', minLength: 1, default: DEFAULT_DB_PATH },
    identifier: { type: ['string', 'null'], default: null },
    flush_period: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_FLUSH_PERIOD },
    durability: { enum: ['buffered', 'committed'], default: 'buffered' },
    cleanup_period: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_CLEANUP_PERIOD },
    remove_unconfigured_partitions: { type: 'boolean', default: false },
    ...storageSchemaProperties(DEFAULT_TIMESERIES_MAX_RESULTS),
    timeseries_event_type_cache_size: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_EVENT_TYPE_CACHE_SIZE,
    },
    flush_count: { type: 'integer', minimum: 1, default: DEFAULT_FLUSH_COUNT },
    max_registered_count: { type: 'integer', minimum: 1, default: DEFAULT_MAX_REGISTERED_COUNT },
  },
  additionalProperties: false,
  $defs: storageSchemaDefs,
};
