import type { EventType } from '../model/event-type.js';
import type { JsonValue } from '../model/payload.js';

/**
 * Configuration shared by the backends that store latest events and timeseries partitions
 * (LMDB, PostgreSQL), with Hat's field names (`hat-event://backends/lmdb.yaml`).
 */

/** The timestamp a partition orders (and retains) its events by. */
export type PartitionOrderBy = 'TIMESTAMP' | 'SOURCE_TIMESTAMP';

/** Retention of one partition; the oldest entries go first (hat-event.md §4.4.9). */
export interface PartitionLimit {
  /** Never clean below this many entries. */
  readonly min_entries?: number;
  /** Keep at most this many entries. */
  readonly max_entries?: number;
  /** Keep entries whose ordering timestamp is at most this many seconds old. */
  readonly duration?: number;
  /** Keep the partition's entries within this many bytes (how a backend counts them is its own). */
  readonly size?: number;
}

/** One timeseries partition: the events matching `subscriptions`, ordered by `order_by`. */
export interface PartitionConfig {
  readonly order_by: PartitionOrderBy;
  readonly subscriptions: readonly EventType[];
  readonly limit?: PartitionLimit;
}

/** JSON types a `json` condition can require (`number` excludes booleans). */
export type JsonDataType = 'null' | 'boolean' | 'string' | 'number' | 'array' | 'object';

/** A path into JSON data: a key, an index (negative counts from the end) or a list of paths. */
export type JsonPath = string | number | readonly JsonPath[];

/** A content condition (hat-event.md §4.4.8). */
export type ConditionConfig =
  | { readonly type: 'all'; readonly conditions: readonly ConditionConfig[] }
  | { readonly type: 'any'; readonly conditions: readonly ConditionConfig[] }
  | {
      readonly type: 'json';
      readonly data_path?: JsonPath;
      readonly data_type?: JsonDataType;
      readonly data_value?: JsonValue;
    };

/** Events of types matching `subscriptions` are stored only if they satisfy `condition`. */
export interface ConditionRule {
  readonly subscriptions: readonly EventType[];
  readonly condition: ConditionConfig;
}

/** The default partitions: everything, once by timestamp and once by source timestamp. */
export const DEFAULT_TIMESERIES: readonly PartitionConfig[] = [
  { order_by: 'TIMESTAMP', subscriptions: [['*']] },
  { order_by: 'SOURCE_TIMESTAMP', subscriptions: [['*']] },
];

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
 * JSON Schema properties of the storage sections shared by the LMDB and PostgreSQL backends
 * (`conditions`, `latest`, `timeseries`, `timeseries_max_results`), with their defaults. A
 * schema using them must also carry {@link storageSchemaDefs} as its `$defs`.
 */
export function storageSchemaProperties(maxResults: number): Record<string, unknown> {
  return {
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
    timeseries_max_results: { type: 'integer', minimum: 1, default: maxResults },
  };
}

/** The `$defs` the properties of {@link storageSchemaProperties} refer to. */
export const storageSchemaDefs: Record<string, unknown> = { condition, path: jsonPath };
