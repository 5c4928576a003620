import { ErrorCode, EventumError, invalidArgument } from '@eventum/core';
import type pg from 'pg';

/** The version of the tables this code writes; stored per application at start. */
export const SCHEMA_VERSION = 1;

/** Bits of a notification id that number the events of one transaction (see `docs/sourcing.md`). */
export const ORDINAL_BITS = 16;
/** Most events one insert may carry. */
export const MAX_EVENTS_PER_INSERT = 2 ** ORDINAL_BITS - 1;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quoted, checked table names of one application. */
export interface TableNames {
  readonly schema: string;
  readonly events: string;
  readonly snapshots: string;
  readonly tracking: string;
  readonly versions: string;
  /** Name of the events table's primary-key constraint (to tell conflicts apart). */
  readonly eventsKey: string;
  readonly eventIdIndex: string;
  readonly trackingKey: string;
}

/** Table names for application `name` in `schema`; both must be lower-case SQL identifiers and
 * each table name at most 63 bytes. */
export function tableNames(schema: string, name: string): TableNames {
  const app = name.toLowerCase();
  for (const [what, value] of [
    ['schema', schema],
    ['application name', app],
  ] as const) {
    if (!IDENTIFIER.test(value))
      throw invalidArgument(`${what} ${JSON.stringify(value)} must match ${IDENTIFIER}`);
  }
  if (`${app}_snapshots_pkey`.length > 63)
    throw invalidArgument(`application name ${app} is too long for PostgreSQL identifiers`);
  return {
    schema,
    events: `"${schema}"."${app}_events"`,
    snapshots: `"${schema}"."${app}_snapshots"`,
    tracking: `"${schema}"."${app}_tracking"`,
    versions: `"${schema}"."eventum_sourcing_schema"`,
    eventsKey: `${app}_events_pkey`,
    eventIdIndex: `${app}_events_event_id`,
    trackingKey: `${app}_tracking_pkey`,
  };
}

function createStatements(t: TableNames, app: string): string[] {
  return [
    `CREATE TABLE ${t.events} (
       originator_id text NOT NULL, originator_version bigint NOT NULL, topic text NOT NULL,
       event_id text NOT NULL, state bytea NOT NULL, notification_id bigint NOT NULL,
       CONSTRAINT "${t.eventsKey}" PRIMARY KEY (originator_id, originator_version))`,
    `CREATE UNIQUE INDEX "${app}_events_notification_id" ON ${t.events} (notification_id)`,
    `CREATE UNIQUE INDEX "${t.eventIdIndex}" ON ${t.events} (event_id)`,
    `CREATE TABLE ${t.snapshots} (
       originator_id text NOT NULL, originator_version bigint NOT NULL, topic text NOT NULL,
       event_id text NOT NULL, state bytea NOT NULL,
       CONSTRAINT "${app}_snapshots_pkey" PRIMARY KEY (originator_id, originator_version))`,
    `CREATE TABLE ${t.tracking} (
       application_name text NOT NULL, notification_id bigint NOT NULL,
       CONSTRAINT "${t.trackingKey}" PRIMARY KEY (application_name, notification_id))`,
  ];
}

/**
 * Creates the schema and the application's tables when missing, and records their version; a
 * store written by a newer version is `ERR_UNSUPPORTED`. Concurrent starts serialise on an
 * advisory lock, so exactly one creates the tables.
 */
export async function ensureSchema(pool: pg.Pool, t: TableNames, name: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `eventum_sourcing:${t.schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${t.versions} (application text PRIMARY KEY, version integer NOT NULL)`,
    );
    const app = name.toLowerCase();
    const found = await client.query<{ version: number }>(
      `SELECT version FROM ${t.versions} WHERE application = $1`,
      [app],
    );
    const version = found.rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new EventumError(
        ErrorCode.Unsupported,
        `tables of ${app} are at schema version ${version}; this code knows up to ${SCHEMA_VERSION}`,
      );
    }
    if (version === 0) {
      for (const statement of createStatements(t, app)) await client.query(statement);
      await client.query(`INSERT INTO ${t.versions} (application, version) VALUES ($1, $2)`, [
        app,
        SCHEMA_VERSION,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
