import { storageSchemaDefs, storageSchemaProperties } from '@eventum/core';

import {
  DEFAULT_CLEANUP_PERIOD,
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_FLUSH_COUNT,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_REGISTERED_COUNT,
  DEFAULT_POOL_SIZE,
  DEFAULT_SCHEMA,
  DEFAULT_TIMESERIES_MAX_RESULTS,
} from './config.js';

/** JSON Schema of the PostgreSQL backend section; validators that apply `default`s fill them. */
export const postgresConfigSchema: Record<string, unknown> = {
  type: 'object',
  required: ['url'],
  properties: {
    type: { const: 'postgres' },
    url: { type: 'string', pattern: '^postgres(ql)?://' },
    schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,47}$', default: DEFAULT_SCHEMA },
    pool_size: { type: 'integer', minimum: 2, maximum: 1000, default: DEFAULT_POOL_SIZE },
    connect_timeout: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_CONNECT_TIMEOUT },
    flush_period: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_FLUSH_PERIOD },
    flush_count: { type: 'integer', minimum: 1, default: DEFAULT_FLUSH_COUNT },
    max_registered_count: { type: 'integer', minimum: 1, default: DEFAULT_MAX_REGISTERED_COUNT },
    durability: { enum: ['buffered', 'committed'], default: 'buffered' },
    notify_other_servers: { type: 'boolean', default: true },
    cleanup_period: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_CLEANUP_PERIOD },
    ...storageSchemaProperties(DEFAULT_TIMESERIES_MAX_RESULTS),
  },
  additionalProperties: false,
  $defs: storageSchemaDefs,
};
