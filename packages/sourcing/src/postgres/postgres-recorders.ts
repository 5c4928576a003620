import { GroupResource, isEventumError } from '@eventum/core';
import type { Recorders } from '@eventum/core';
import pg from 'pg';

import type { SourcingDurability } from '../config.js';
import { backendError } from '../errors.js';
import { PostgresEventRecorder, PostgresSnapshotRecorder } from './postgres-recorder.js';
import { ensureSchema, tableNames } from './schema.js';
import { statements } from './sql.js';

/** Where and how an application's tables live on PostgreSQL. */
export interface PostgresRecorderOptions {
  /** Connection string, e.g. `postgres://user@host:5432/db`. */
  readonly url: string;
  /** Prefix of the tables (`<name>_events`, `<name>_snapshots`, `<name>_tracking`). */
  readonly name: string;
  /** Schema of the tables (created when missing); default `public`. */
  readonly schema?: string;
  /** Connections in the pool; default 10. Concurrent inserts beyond it wait for a connection. */
  readonly poolSize?: number;
  /** Create missing tables at start (default true); otherwise they must exist. */
  readonly createTables?: boolean;
  /**
   * `synced` (default): an insert resolves once its commit is in the WAL on disk. `deferred`:
   * every connection runs with `synchronous_commit = off`, so it resolves before that flush.
   * What a crash loses in each: docs/sourcing.md.
   */
  readonly durability?: SourcingDurability;
}

/**
 * Opens the recorders of one application on PostgreSQL: a connection pool, the tables created
 * (and their schema version checked) at start. Closing them ends the pool.
 */
export async function createPostgresRecorders(
  options: PostgresRecorderOptions,
): Promise<Recorders> {
  const tables = tableNames(options.schema ?? 'public', options.name);
  const pool = connectionPool(options);
  pool.on('error', () => undefined); // an idle client's failure surfaces on its next query
  try {
    if (options.createTables ?? true) await ensureSchema(pool, tables, options.name);
    else await pool.query(`SELECT 1 FROM ${tables.events} LIMIT 0`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw isEventumError(error)
      ? error
      : backendError(`PostgreSQL recorders of ${options.name}`, error);
  }
  return new PostgresRecorders(pool, tables);
}

/** The recorders' pool: `poolSize` connections, each `synchronous_commit = off` if deferred. */
export function connectionPool(options: PostgresRecorderOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  if (options.durability === 'deferred') {
    // Queued on each new connection before the pool hands it out, so it precedes every
    // statement of ours; should it fail, the connection stays synced (the safe side).
    pool.on('connect', (client) => {
      client.query('SET synchronous_commit = off').catch(() => undefined);
    });
  }
  return pool;
}

class PostgresRecorders extends GroupResource implements Recorders {
  readonly events: PostgresEventRecorder;
  readonly snapshots: PostgresSnapshotRecorder;

  constructor(pool: pg.Pool, tables: ReturnType<typeof tableNames>) {
    super();
    const sql = statements(tables);
    this.group.onClose(() => pool.end());
    this.events = this.group.adopt(new PostgresEventRecorder(pool, sql, tables));
    this.snapshots = this.group.adopt(new PostgresSnapshotRecorder(pool, sql, tables));
  }
}
