import ajvModule from 'ajv';
import type { ErrorObject } from 'ajv';

import { ConfigError } from '@eventum/core';
import type { ConfigIssue } from '@eventum/core';

import {
  lmdbConfigSchema,
  memoryConfigSchema,
  postgresConfigSchema,
} from './persistence-schemas.js';

/**
 * When an append resolves (docs/sourcing.md): `synced` (default) once it is on disk; `deferred`
 * once the store has it, flushed to disk moments later (LMDB `noSync` with a background sync,
 * PostgreSQL `synchronous_commit = off`).
 */
export type SourcingDurability = 'synced' | 'deferred';

/** Where an application's events are recorded. */
export type PersistenceConfig =
  | { readonly type: 'memory' }
  | {
      readonly type: 'lmdb';
      readonly path: string;
      readonly mapSizeBytes?: number;
      readonly durability?: SourcingDurability;
    }
  | {
      readonly type: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly poolSize?: number;
      readonly createTables?: boolean;
      readonly durability?: SourcingDurability;
    };

/** The configuration of one application, validated and frozen by {@link parseSourcingConfig}. */
export interface SourcingConfig {
  readonly persistence: PersistenceConfig;
  /** Base64 of a 16, 24 or 32-byte AES key: state is encrypted with AES-GCM. */
  readonly cipherKey?: string;
  readonly compression?: 'zlib' | 'none';
  /** Snapshot every n-th version of the aggregate class / decider of this name. */
  readonly snapshotIntervals?: Readonly<Record<string, number>>;
  /** Aggregate cache: 0 unbounded, n > 0 the n most recently used; absent: no cache. */
  readonly cacheMaxSize?: number;
  readonly logSectionSize?: number;
  readonly commandRetries?: number;
}

const positive = { type: 'integer', minimum: 1 } as const;

/** JSON Schema of {@link SourcingConfig}. */
export const sourcingConfigSchema: Record<string, unknown> = {
  type: 'object',
  required: ['persistence'],
  properties: {
    persistence: {
      oneOf: [memoryConfigSchema, lmdbConfigSchema, postgresConfigSchema],
    },
    cipherKey: {
      type: 'string',
      pattern: '^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
    },
    compression: { enum: ['zlib', 'none'] },
    snapshotIntervals: { type: 'object', additionalProperties: positive },
    cacheMaxSize: { type: 'integer', minimum: 0 },
    logSectionSize: positive,
    commandRetries: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
};

// ajv is CommonJS; under NodeNext its class is the default export's `default`.
const check = new ajvModule.default({ allErrors: true, strict: false }).compile(
  sourcingConfigSchema,
);

/**
 * Validates a configuration object once: every problem is reported with its path in one
 * `ConfigError` (`ERR_CONFIG`). Returns a deep-frozen copy.
 */
export function parseSourcingConfig(
  value: unknown,
  origin: Readonly<Record<string, string>> = {},
): SourcingConfig {
  const copy = structuredClone(value);
  if (!check(copy)) throw new ConfigError(issuesOf(check.errors ?? [], copy, origin));
  return deepFreeze(copy as SourcingConfig);
}

function issuesOf(
  errors: readonly ErrorObject[],
  value: unknown,
  origin: Readonly<Record<string, string>>,
): ConfigIssue[] {
  const persistenceType = (value as { persistence?: { type?: unknown } } | null)?.persistence?.type;
  const relevant = errors.filter((e) => !isOtherBranch(e, persistenceType));
  if (relevant.some((e) => e.schemaPath === '#/properties/persistence/oneOf')) {
    const others = relevant.filter((e) => !e.instancePath.startsWith('/persistence'));
    const message = `persistence type must be one of ${PERSISTENCE_TYPES.join(', ')}`;
    return [
      {
        path: '/persistence/type',
        message: `${message}${origin['/persistence/type'] ? ` (from ${origin['/persistence/type']})` : ''}`,
      },
      ...issuesOf(others, value, origin),
    ];
  }
  return relevant.map((e) => {
    const path =
      e.keyword === 'required'
        ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
        : e.instancePath;
    const extra =
      e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : '';
    const from = origin[path] === undefined ? '' : ` (from ${origin[path]})`;
    return { path, message: `${e.message ?? 'is invalid'}${extra}${from}` };
  });
}

const PERSISTENCE_TYPES = ['memory', 'lmdb', 'postgres'];

/** Of the `oneOf` over persistence types, only the chosen type's errors count; an unknown type
 * is one issue. */
function isOtherBranch(error: ErrorObject, type: unknown): boolean {
  const known = PERSISTENCE_TYPES.indexOf(type as string);
  if (error.schemaPath === '#/properties/persistence/oneOf') return known >= 0;
  const branch = /^#\/properties\/persistence\/oneOf\/(\d)\//.exec(error.schemaPath);
  return branch !== null && Number(branch[1]) !== known;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
