import { GroupResource, isEventumError } from '@eventum/core';
import type { Recorders } from '@eventum/core';
import pg from 'pg';

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
}

/**
 * Opens the recorders of one application on PostgreSQL: a connection pool, the tables created
 * (and their schema version checked) at start. Closing them ends the pool.
 */
export async function createPostgresRecorders(
  options: PostgresRecorderOptions,
): Promise<Recorders> {
  const tables = tableNames(options.schema ?? 'public', options.name);
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
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
