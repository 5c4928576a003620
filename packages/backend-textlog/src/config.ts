import { Durability, invalidArgument } from '@eventum/core';

/** The configuration section of the textlog backend (snake_case, as in the server file). */
export interface TextlogBackendConfig {
  readonly type?: 'textlog';
  /** Directory of the span files (created if missing). */
  readonly path?: string;
  /** Seconds of event time per span file (integer ≥ 1). */
  readonly span?: number;
  /** Seconds between flushes; 0 flushes on every register. */
  readonly flush_period?: number;
  /** What a register response promises: `buffered` (default) or `committed` (durable). */
  readonly durability?: Durability;
  /** Cap on events per timeseries/server page. */
  readonly max_results?: number;
  /** Parsed span files kept in memory (LRU). */
  readonly cache_files?: number;
}

export const DEFAULT_PATH = './data/textlog';
export const DEFAULT_SPAN = 60;
export const DEFAULT_FLUSH_PERIOD = 1;
export const DEFAULT_MAX_RESULTS = 4096;
export const DEFAULT_CACHE_FILES = 16;

/** The configuration with defaults applied and checked. */
export interface ResolvedTextlogConfig {
  readonly path: string;
  readonly span: number;
  readonly flushPeriodMs: number;
  readonly durability: Durability;
  readonly maxResults: number;
  readonly cacheFiles: number;
}

/** Applies defaults and checks values; throws `ERR_INVALID_ARGUMENT` for a bad one. */
export function resolveTextlogConfig(config: TextlogBackendConfig): ResolvedTextlogConfig {
  const span = config.span ?? DEFAULT_SPAN;
  const flushPeriod = config.flush_period ?? DEFAULT_FLUSH_PERIOD;
  const maxResults = config.max_results ?? DEFAULT_MAX_RESULTS;
  const cacheFiles = config.cache_files ?? DEFAULT_CACHE_FILES;
  for (const [name, value] of Object.entries({
    span,
    max_results: maxResults,
    cache_files: cacheFiles,
  })) {
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      throw invalidArgument(`${name} must be a positive integer, got ${value}`);
    }
  }
  if (!(Number.isFinite(flushPeriod) && flushPeriod >= 0)) {
    throw invalidArgument(`flush_period must be a number of seconds ≥ 0, got ${flushPeriod}`);
  }
  const path = config.path ?? DEFAULT_PATH;
  if (path === '') throw invalidArgument('path must not be empty');
  const durability = config.durability ?? Durability.Buffered;
  if (!Object.values(Durability).includes(durability)) {
    throw invalidArgument(`durability must be buffered or committed, got ${String(durability)}`);
  }
  return { path, span, flushPeriodMs: flushPeriod * 1000, durability, maxResults, cacheFiles };
}
