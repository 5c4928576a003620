import { Conditions, Subscription, invalidArgument } from '@eventum/core';
import type { Backend, BackendContext, BackendPlugin } from '@eventum/core';

import { lmdbConfigSchema } from './config-schema.js';
import { resolveLmdbConfig } from './config.js';
import type { LmdbBackendConfig, ResolvedLmdbConfig } from './config.js';
import { backendError, closeEnvironment, openEnvironment } from './environment.js';
import type { LmdbEnvironment } from './environment.js';
import { LatestIndex } from './latest.js';
import { LmdbBackend } from './lmdb-backend.js';
import type { LoadedState } from './lmdb-backend.js';
import { readPartitions, resolvePartitions } from './partitions.js';
import { TypeRouter } from './routes.js';
import { LmdbWriter } from './writer.js';
import { checkSettings, loadReservedSessions, loadServerStates } from './system.js';

/**
 * Opens the LMDB backend on `config.db_path` (created if missing): checks the storage version
 * and identifier, loads the last ids, the latest store and the partitions, then starts the flush
 * and cleanup loops. Events are durable once `onFlushed` reports them (flush every
 * `flush_period`, on `flush()` and on close). Throws `ERR_INVALID_ARGUMENT` for a bad
 * configuration value, `ERR_CONFIG` for another identifier, `ERR_UNSUPPORTED` for another
 * storage version and `ERR_BACKEND` when LMDB fails.
 *
 * @example
 * const backend = await createLmdbBackend({ db_path: './data/eventum.db' }, { logger });
 */
export async function createLmdbBackend(
  config: LmdbBackendConfig,
  context: Partial<BackendContext> = {},
): Promise<Backend> {
  const resolved = checkConfig(resolveLmdbConfig(config));
  const conditions = new Conditions(resolved.conditions);
  const latestSubscription = new Subscription(resolved.latestSubscriptions);
  const env = await openEnvironment(resolved.dbPath);
  try {
    const state = env.root.transactionSync(() =>
      loadState(env, resolved, conditions, latestSubscription),
    );
    const partitions = state.partitions.map(({ id, limit }) => ({ id, limit }));
    const orphans = resolved.removeUnconfiguredPartitions ? state.orphans : [];
    if (state.orphans.length > 0) {
      const action =
        orphans.length > 0 ? 'cleanup removes their entries' : 'their entries are kept';
      context.logger?.warn(`partitions no longer configured: ${action}`, {
        partitions: state.orphans,
      });
    }
    const writer = await LmdbWriter.start(resolved.dbPath, partitions, orphans);
    return new LmdbBackend(env, resolved, state, writer, context);
  } catch (error) {
    await closeEnvironment(env).catch(() => undefined);
    throw backendError(`cannot open the LMDB backend on ${resolved.dbPath}`, error);
  }
}

function loadState(
  env: LmdbEnvironment,
  config: ResolvedLmdbConfig,
  conditions: Conditions,
  latestSubscription: Subscription,
): LoadedState {
  checkSettings(env, config.identifier);
  const partitions = resolvePartitions(env, config.timeseries);
  const configured = new Set(partitions.map((p) => p.id));
  return {
    servers: loadServerStates(env),
    reservedSessions: loadReservedSessions(env),
    partitions,
    orphans: [...readPartitions(env).keys()].filter((id) => !configured.has(id)),
    latest: LatestIndex.load(env, conditions, latestSubscription),
    router: new TypeRouter(latestSubscription, partitions, conditions, config.eventTypeCacheSize),
    conditions,
  };
}

function checkConfig(config: ResolvedLmdbConfig): ResolvedLmdbConfig {
  const positive = { flush_period: config.flushPeriodMs, cleanup_period: config.cleanupPeriodMs };
  for (const [name, value] of Object.entries(positive)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw invalidArgument(`${name} must be a positive number of seconds`);
    }
  }
  const counts = {
    timeseries_max_results: config.maxResults,
    timeseries_event_type_cache_size: config.eventTypeCacheSize,
    flush_count: config.flushCount,
    max_registered_count: config.maxRegisteredCount,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      throw invalidArgument(`${name} must be a positive integer, got ${value}`);
    }
  }
  return config;
}

/** The LMDB backend as a plugin (`backend: {type: lmdb, ...}` in the server configuration). */
export const lmdbBackend: BackendPlugin<LmdbBackendConfig> = {
  type: 'lmdb',
  configSchema: lmdbConfigSchema,
  create: (config, context) => createLmdbBackend(config, context),
  storagePath: (config) => resolveLmdbConfig(config).dbPath,
};
