import {
  DEFAULT_CLEANUP_PERIOD,
  DEFAULT_DB_PATH,
  DEFAULT_EVENT_TYPE_CACHE_SIZE,
  DEFAULT_FLUSH_COUNT,
  DEFAULT_FLUSH_PERIOD,
  DEFAULT_MAX_REGISTERED_COUNT,
  DEFAULT_TIMESERIES,
  DEFAULT_TIMESERIES_MAX_RESULTS,
} from './config.js';

const eventTypes = {
  type: 'array',
  items: { type: 'array', items: { type: 'string' } },
} as const;

const jsonPath = {
  anyOf: [
    { type: 'string' },
    { type: 'integer' },
    { type: 'array', items: { $ref: '#/$defs/path' } },
  ],
} as const;

const condition = {
  oneOf: [
    {
      type: 'object',
      required: ['type', 'conditions'],
      properties: {
        type: { enum: ['all', 'any'] },
        conditions: { type: 'array', items: { $ref: '#/$defs/condition' } },
      },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type'],
      properties: {
        type: { const: 'json' },
        data_path: { $ref: '#/$defs/path' },
        data_type: { enum: ['null', 'boolean', 'string', 'number', 'array', 'object'] },
        data_value: {},
      },
      additionalProperties: false,
    },
  ],
} as const;

const limit = {
  type: 'object',
  properties: {
    min_entries: { type: 'integer', minimum: 0 },
    max_entries: { type: 'integer', minimum: 0 },
    duration: { type: 'number', minimum: 0 },
    size: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
} as const;

const partition = {
  type: 'object',
  required: ['order_by', 'subscriptions'],
  properties: {
    order_by: { enum: ['TIMESTAMP', 'SOURCE_TIMESTAMP'] },
    subscriptions: eventTypes,
    limit,
  },
  additionalProperties: false,
} as const;

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
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['subscriptions', 'condition'],
        properties: { subscriptions: eventTypes, condition: { $ref: '#/$defs/condition' } },
        additionalProperties: false,
      },
      default: [],
    },
    latest: {
      type: 'object',
      properties: { subscriptions: { ...eventTypes, default: [['*']] } },
      additionalProperties: false,
      default: { subscriptions: [['*']] },
    },
    timeseries: { type: 'array', items: partition, default: DEFAULT_TIMESERIES },
    timeseries_max_results: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_TIMESERIES_MAX_RESULTS,
    },
    timeseries_event_type_cache_size: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_EVENT_TYPE_CACHE_SIZE,
    },
    flush_count: { type: 'integer', minimum: 1, default: DEFAULT_FLUSH_COUNT },
    max_registered_count: { type: 'integer', minimum: 1, default: DEFAULT_MAX_REGISTERED_COUNT },
  },
  additionalProperties: false,
  $defs: { condition, path: jsonPath },
};
