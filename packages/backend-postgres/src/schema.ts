import { ConfigError, ErrorCode, EventumError, Subscription, compareTypes } from '@eventum/core';
import type { OrderBy, PartitionConfig, PartitionLimit } from '@eventum/core';
import type pg from 'pg';

/** The version of the tables this code reads and writes. */
export const SCHEMA_VERSION = 1;
/** Partition ids are bits of an `integer` mask: at most this many partitions per schema, ever
 * (a removed partition keeps its id). */
export const MAX_PARTITIONS = 31;

/**
 * Forward-only migrations: `MIGRATIONS[v - 1]` takes the tables from version `v - 1` to `v`.
 * `t` is the quoted schema name. Never edit a released migration; append one.
 */
const MIGRATIONS: readonly ((t: string) => readonly string[])[] = [
  (t) => [
    `CREATE TABLE ${t}.events (
       server_id bigint NOT NULL, session_id bigint NOT NULL, instance_id bigint NOT NULL,
       t_s bigint NOT NULL, t_us integer NOT NULL, st_s bigint, st_us integer,
       partitions integer NOT NULL, encoded bytea NOT NULL,
       PRIMARY KEY (server_id, session_id, instance_id))`,
    `CREATE INDEX events_unpartitioned ON ${t}.events (server_id, session_id, instance_id)
       WHERE partitions = 0`,
    `CREATE TABLE ${t}.latest (
       type text PRIMARY KEY, server_id bigint NOT NULL, session_id bigint NOT NULL,
       instance_id bigint NOT NULL, t_s bigint NOT NULL, t_us integer NOT NULL)`,
    `CREATE INDEX latest_event ON ${t}.latest (server_id, session_id, instance_id)`,
    `CREATE TABLE ${t}.servers (
       server_id bigint PRIMARY KEY, session_id bigint NOT NULL DEFAULT 0,
       instance_id bigint NOT NULL DEFAULT 0, t_s bigint, t_us integer,
       reserved_session bigint NOT NULL DEFAULT 0)`,
    `CREATE TABLE ${t}.partitions (
       id integer PRIMARY KEY, order_by text NOT NULL, subscriptions text NOT NULL,
       UNIQUE (order_by, subscriptions))`,
  ],
];

/** A configured timeseries partition with its stable id (a bit of `events.partitions`). */
export interface Partition {
  readonly id: number;
  readonly bit: number;
  readonly orderBy: OrderBy;
  readonly subscription: Subscription;
  readonly limit: PartitionLimit | null;
}

/**
 * Brings the schema to {@link SCHEMA_VERSION} and resolves the configured partitions, in one
 * transaction under an advisory lock, so servers starting together on one database migrate it
 * once. A schema newer than this code is `ERR_UNSUPPORTED`; more than {@link MAX_PARTITIONS}
 * partitions, or two alike, are `ERR_CONFIG`.
 */
export async function prepareSchema(
  client: pg.ClientBase,
  schema: string,
  configs: readonly PartitionConfig[],
): Promise<Partition[]> {
  const t = quote(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`eventum:${schema}`]);
    await migrate(client, schema);
    const partitions = await resolvePartitions(client, t, configs);
    await client.query('COMMIT');
    return partitions;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function migrate(client: pg.ClientBase, schema: string): Promise<void> {
  const t = quote(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${t}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${t}.eventum_schema (version integer NOT NULL)`);
  const found = await client.query<{ version: number }>(`SELECT version FROM ${t}.eventum_schema`);
  const version = found.rows[0]?.version ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new EventumError(
      ErrorCode.Unsupported,
      `schema ${schema} is at version ${version}, newer than this eventum knows ` +
        `(${SCHEMA_VERSION}): upgrade eventum, or use another schema`,
    );
  }
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    for (const statement of MIGRATIONS[v - 1]!(t)) await client.query(statement);
  }
  if (version === 0) {
    await client.query(`INSERT INTO ${t}.eventum_schema (version) VALUES ($1)`, [SCHEMA_VERSION]);
  } else if (version < SCHEMA_VERSION) {
    await client.query(`UPDATE ${t}.eventum_schema SET version = $1`, [SCHEMA_VERSION]);
  }
}

async function resolvePartitions(
  client: pg.ClientBase,
  t: string,
  configs: readonly PartitionConfig[],
): Promise<Partition[]> {
  const stored = await client.query<{ id: number; order_by: string; subscriptions: string }>(
    `SELECT id, order_by, subscriptions FROM ${t}.partitions`,
  );
  const byIdentity = new Map(stored.rows.map((r) => [`${r.order_by}:${r.subscriptions}`, r.id]));
  let nextId = Math.max(-1, ...stored.rows.map((r) => r.id)) + 1;
  const seen = new Set<number>();
  const partitions: Partition[] = [];
  for (const [index, config] of configs.entries()) {
    const orderBy: OrderBy = config.order_by === 'TIMESTAMP' ? 'timestamp' : 'sourceTimestamp';
    const subscription = new Subscription(config.subscriptions);
    const types = JSON.stringify(subscription.getQueryTypes().sort(compareTypes));
    let id = byIdentity.get(`${orderBy}:${types}`);
    if (id === undefined) {
      if (nextId >= MAX_PARTITIONS)
        throw partitionIssue(index, `more than ${MAX_PARTITIONS} partitions stored in this schema`);
      id = nextId++;
      byIdentity.set(`${orderBy}:${types}`, id);
      await client.query(
        `INSERT INTO ${t}.partitions (id, order_by, subscriptions) VALUES ($1, $2, $3)`,
        [id, orderBy, types],
      );
    }
    if (seen.has(id))
      throw partitionIssue(index, 'same order_by and subscriptions as an earlier partition');
    seen.add(id);
    await client.query(partitionIndex(t, id, orderBy));
    partitions.push({ id, bit: 2 ** id, orderBy, subscription, limit: config.limit ?? null });
  }
  return partitions;
}

function partitionIssue(index: number, message: string): ConfigError {
  return new ConfigError([{ path: `/timeseries/${index}`, message }]);
}

/** The partial index a partition's queries and retention read, in its key order. */
function partitionIndex(t: string, id: number, orderBy: OrderBy): string {
  const time = orderBy === 'timestamp' ? 't_s, t_us' : 'st_s, st_us';
  return `CREATE INDEX IF NOT EXISTS events_p${id} ON ${t}.events
            (${time}, server_id, session_id, instance_id) WHERE (partitions & ${2 ** id}) <> 0`;
}

/** `schema` quoted as an SQL identifier (the configuration schema allows only [a-z0-9_]). */
export function quote(schema: string): string {
  return `"${schema.replaceAll('"', '""')}"`;
}
