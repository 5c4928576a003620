import { randomUUID } from 'node:crypto';

import { Conditions, Subscription, invalidArgument, noopLogger } from '@eventum/core';
import type { Backend, BackendContext, BackendPlugin, Logger } from '@eventum/core';
import pg from 'pg';

import { postgresConfigSchema } from './config-schema.js';
import { resolvePostgresConfig } from './config.js';
import type { PostgresBackendConfig, ResolvedPostgresConfig } from './config.js';
import { backendError } from './errors.js';
import { OtherServers } from './other-servers.js';
import { PostgresBackend } from './postgres-backend.js';
import type { PostgresState } from './postgres-backend.js';
import { withConnection } from './rows.js';
import { TypeRouter } from './routes.js';
import { prepareSchema, quote } from './schema.js';
import type { ServerState } from './staging.js';

/**
 * Opens the PostgreSQL backend: a pool of `pool_size` connections to `url`, the schema created
 * or migrated (`ERR_UNSUPPORTED` when it is newer than this code), the partitions resolved, the
 * last ids loaded, then the flush and cleanup loops and (with `notify_other_servers`) the
 * listener for other servers' events. Events are durable once `onFlushed` reports them. Throws
 * `ERR_INVALID_ARGUMENT` for a bad configuration value, `ERR_CONFIG` for bad partitions and
 * `ERR_BACKEND` when PostgreSQL cannot be reached.
 *
 * @example
 * const backend = await createPostgresBackend({ url: 'postgres://eventum@db/eventum' }, { logger });
 */
export async function createPostgresBackend(
  config: PostgresBackendConfig,
  context: Partial<BackendContext> = {},
): Promise<Backend> {
  const resolved = checkConfig(resolvePostgresConfig(config));
  const logger = context.logger;
  const pool = new pg.Pool({
    connectionString: resolved.url,
    max: resolved.poolSize,
    connectionTimeoutMillis: resolved.connectTimeoutMs,
    // Tells the servers' connections apart in pg_stat_activity.
    application_name: `eventum:${resolved.schema}`,
  });
  // An idle connection's failure (the server went away) surfaces on its next query instead.
  pool.on('error', (error) =>
    logger?.debug('idle PostgreSQL connection failed', { error: error.message }),
  );
  let others: OtherServers | null = null;
  try {
    const state = await prepare(pool, resolved, logger, context);
    others = state.others;
    await others?.start();
    return new PostgresBackend(resolved, state, context);
  } catch (error) {
    await others?.close();
    await pool.end().catch(() => undefined);
    throw backendError(`cannot open the PostgreSQL backend (schema ${resolved.schema})`, error);
  }
}

async function prepare(
  pool: pg.Pool,
  config: ResolvedPostgresConfig,
  logger: Logger | undefined,
  context: Partial<BackendContext>,
): Promise<PostgresState> {
  const t = quote(config.schema);
  const partitions = await withConnection(pool, (client) =>
    prepareSchema(client, config.schema, config.timeseries),
  );
  const conditions = new Conditions(config.conditions);
  const latest = new Subscription(config.latestSubscriptions);
  const notify = config.notifyOtherServers
    ? { channel: `eventum:${config.schema}`, origin: randomUUID() }
    : null;
  const others =
    notify === null
      ? null
      : new OtherServers({
          url: config.url,
          connectTimeoutMs: config.connectTimeoutMs,
          t,
          ...notify,
          logger: (logger ?? noopLogger).child({ component: 'other-servers' }),
          onEvents: (events) => {
            context.onRegistered?.(events);
            context.onFlushed?.(events);
          },
        });
  return {
    pool,
    t,
    partitions,
    servers: await loadServers(pool, t),
    router: new TypeRouter(latest, partitions, conditions),
    conditions,
    latest,
    others,
    notify,
  };
}

async function loadServers(pool: pg.Pool, t: string): Promise<Map<number, ServerState>> {
  const rows = await pool.query<{
    server_id: string;
    session_id: string;
    instance_id: string;
    t_s: string | null;
    t_us: number | null;
  }>(
    `SELECT server_id, session_id, instance_id, t_s, t_us FROM ${t}.servers WHERE t_s IS NOT NULL`,
  );
  const servers = new Map<number, ServerState>();
  for (const r of rows.rows) {
    const server = Number(r.server_id);
    servers.set(server, {
      lastId: { server, session: Number(r.session_id), instance: Number(r.instance_id) },
      lastTimestamp: { s: Number(r.t_s), us: r.t_us ?? 0 },
    });
  }
  return servers;
}

function checkConfig(config: ResolvedPostgresConfig): ResolvedPostgresConfig {
  const positive = {
    flush_period: config.flushPeriodMs,
    cleanup_period: config.cleanupPeriodMs,
    connect_timeout: config.connectTimeoutMs,
  };
  for (const [name, value] of Object.entries(positive)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw invalidArgument(`${name} must be a positive number of seconds`);
    }
  }
  const counts = {
    pool_size: config.poolSize,
    timeseries_max_results: config.maxResults,
    flush_count: config.flushCount,
    max_registered_count: config.maxRegisteredCount,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      throw invalidArgument(`${name} must be a positive integer, got ${value}`);
    }
  }
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(config.schema)) {
    throw invalidArgument(
      `schema ${JSON.stringify(config.schema)} must be a lower-case SQL identifier`,
    );
  }
  return config;
}

/** The PostgreSQL backend as a plugin (`backend: {type: postgres, url: ...}`). */
export const postgresBackend: BackendPlugin<PostgresBackendConfig> = {
  type: 'postgres',
  configSchema: postgresConfigSchema,
  create: (config, context) => createPostgresBackend(config, context),
};
