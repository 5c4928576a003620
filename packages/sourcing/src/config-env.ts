import { ConfigError } from '@eventum/core';
import type { ConfigIssue } from '@eventum/core';

import { parseSourcingConfig } from './config.js';
import type { SourcingConfig } from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

const TRUE = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSE = new Set(['n', 'no', 'f', 'false', 'off', '0']);

/** The environment variables read, by configuration path. */
const KEYS = {
  '/persistence/path': 'LMDB_PATH',
  '/persistence/mapSizeBytes': 'LMDB_MAP_SIZE',
  '/persistence/url': 'POSTGRES_URL',
  '/persistence/schema': 'POSTGRES_SCHEMA',
  '/persistence/poolSize': 'POSTGRES_POOL_SIZE',
  '/persistence/createTables': 'CREATE_TABLE',
  '/persistence/durability': 'PERSISTENCE_DURABILITY',
  '/cipherKey': 'CIPHER_KEY',
  '/compression': 'COMPRESSOR',
  '/cacheMaxSize': 'AGGREGATE_CACHE_MAXSIZE',
  '/logSectionSize': 'LOG_SECTION_SIZE',
  '/commandRetries': 'COMMAND_RETRIES',
} as const;

const INTEGERS = new Set([
  'LMDB_MAP_SIZE',
  'POSTGRES_POOL_SIZE',
  'AGGREGATE_CACHE_MAXSIZE',
  'LOG_SECTION_SIZE',
  'COMMAND_RETRIES',
]);

/**
 * Reads an application's configuration from environment variables, the Python library's way:
 * each key `K` is looked up as `<NAME>_K` first (the application name in upper case), then `K`.
 * `PERSISTENCE_MODULE` is `memory` (default), `lmdb` or `postgres`; see `docs/sourcing.md` for
 * every key. Malformed values are reported with the variable's name in one `ConfigError`.
 */
export function sourcingConfigFromEnv(name: string, env: Env): SourcingConfig {
  const prefix = `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  const get = (key: string): string | undefined => env[prefix + key] ?? env[key];
  const issues: ConfigIssue[] = [];
  const origin: Record<string, string> = { '/persistence/type': 'PERSISTENCE_MODULE' };
  const persistence: Record<string, unknown> = { type: get('PERSISTENCE_MODULE') ?? 'memory' };
  const config: Record<string, unknown> = { persistence };
  for (const [path, key] of Object.entries(KEYS)) {
    const text = get(key);
    if (text === undefined) continue;
    origin[path] = key;
    const inPersistence = path.startsWith('/persistence/');
    const field = path.slice(inPersistence ? 13 : 1);
    (inPersistence ? persistence : config)[field] = convert(key, text, issues);
  }
  pruneForType(persistence);
  if (persistence['type'] === 'postgres' && persistence['url'] === undefined)
    persistence['url'] = postgresUrl(get);
  const intervals = snapshotIntervals(get, issues);
  if (intervals !== undefined) config['snapshotIntervals'] = intervals;
  if (issues.length > 0) throw new ConfigError(issues);
  return parseSourcingConfig(config, origin);
}

/** Keys of other persistence types are ignored (e.g. LMDB_PATH when PostgreSQL is chosen). */
function pruneForType(persistence: Record<string, unknown>): void {
  const allowed: Record<string, readonly string[]> = {
    memory: [],
    lmdb: ['path', 'mapSizeBytes', 'durability'],
    postgres: ['url', 'schema', 'poolSize', 'createTables', 'durability'],
  };
  const keep = allowed[persistence['type'] as string];
  if (keep === undefined) return;
  for (const key of Object.keys(persistence))
    if (key !== 'type' && !keep.includes(key)) delete persistence[key];
}

function convert(key: string, text: string, issues: ConfigIssue[]): unknown {
  if (key === 'CREATE_TABLE') {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    issues.push({
      path: key,
      message: `must be one of y/yes/t/true/on/1 or n/no/f/false/off/0, got ${JSON.stringify(text)}`,
    });
    return undefined;
  }
  if (!INTEGERS.has(key)) return text;
  if (!/^-?\d+$/.test(text.trim())) {
    issues.push({ path: key, message: `must be an integer, got ${JSON.stringify(text)}` });
    return undefined;
  }
  return Number(text);
}

/** `POSTGRES_DBNAME`, `_HOST`, `_PORT`, `_USER`, `_PASSWORD` as a URL. */
function postgresUrl(get: (key: string) => string | undefined): string | undefined {
  const db = get('POSTGRES_DBNAME');
  if (db === undefined) return undefined;
  const user = get('POSTGRES_USER');
  const password = get('POSTGRES_PASSWORD');
  const auth =
    user === undefined
      ? ''
      : `${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  return `postgres://${auth}${get('POSTGRES_HOST') ?? '127.0.0.1'}:${get('POSTGRES_PORT') ?? '5432'}/${encodeURIComponent(db)}`;
}

/** `IS_SNAPSHOTTING_ENABLED=y` with `SNAPSHOTTING_INTERVALS=Account:100,tally:50`. */
function snapshotIntervals(
  get: (key: string) => string | undefined,
  issues: ConfigIssue[],
): Record<string, number> | undefined {
  const enabled = get('IS_SNAPSHOTTING_ENABLED');
  if (enabled === undefined || FALSE.has(enabled.toLowerCase())) return undefined;
  if (!TRUE.has(enabled.toLowerCase())) {
    issues.push({
      path: 'IS_SNAPSHOTTING_ENABLED',
      message: `must be y or n, got ${JSON.stringify(enabled)}`,
    });
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const part of (get('SNAPSHOTTING_INTERVALS') ?? '')
    .split(',')
    .filter((p) => p.trim() !== '')) {
    const match = /^\s*([^:\s]+)\s*:\s*(\d+)\s*$/.exec(part);
    if (match === null)
      issues.push({
        path: 'SNAPSHOTTING_INTERVALS',
        message: `expected name:interval, got ${JSON.stringify(part)}`,
      });
    else out[match[1]!] = Number(match[2]);
  }
  return out;
}
