/**
 * PostgreSQL as a comparison target, the way a user rolling their own event table would use it
 * from Node: the `pg` client over loopback TCP, one table with an index on time and one on type.
 *
 * Choices, and why:
 * - The type column has the "C" collation, so `type LIKE 'plant/%'` is a range scan of the
 *   `(type, ts)` index; under a language collation it would scan the whole table.
 * - The server assigns the time (`clock_timestamp()`), as eventum assigns its timestamps; the
 *   type is the `/`-joined event type and the payload is `jsonb` (the same JSON).
 * - `registerBatch` is one `INSERT … SELECT FROM unnest(…)` per batch: a single statement with a
 *   fixed number of parameters whatever the batch size, committed on its own (autocommit).
 * - Reads page with a keyset on `(ts, id)`, the index's order, never OFFSET. The last time is
 *   carried as text: `timestamptz` has microseconds and a JS Date only milliseconds.
 * - Push delivery is LISTEN/NOTIFY from an AFTER INSERT trigger, created only when asked
 *   (`notify`), so the throughput scenarios do not pay for it.
 */
import type { RegisterEvent, Timestamp } from '@eventum/core';
import pg from 'pg';

import { TargetUnavailable } from './target.js';
import type { Target } from './target.js';

export interface PostgresTargetOptions {
  readonly url: string;
  /** Create a fresh table (and drop it on close), or attach to the one an owner created. */
  readonly create: boolean;
  /** Also create the trigger that notifies every insert (owner only). */
  readonly notify?: boolean;
  /** @default 'eventum_bench_events' */
  readonly table?: string;
}

const NAME = 'postgres';
/** SQL for a `timestamptz` from microseconds since the epoch (NULL stays NULL). */
const FROM_MICROS = (sql: string): string =>
  `timestamptz 'epoch' + ${sql} * interval '1 microsecond'`;
const CONNECT_TIMEOUT_MS = 2_000;
/** No statement of the benchmark should take this long; a stuck server fails the scenario. */
const STATEMENT_TIMEOUT_MS = 60_000;

async function connectClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new TargetUnavailable(NAME, (error as Error).message);
  }
  return client;
}

/** Microseconds since the epoch (exact in a double up to the year 2255); SQL turns them into a
 * `timestamptz` without losing the microseconds a JS Date would. */
const micros = (t: Timestamp | null | undefined): number | null =>
  t == null ? null : t.s * 1_000_000 + t.us;

const payloadText = (event: RegisterEvent): string | null =>
  event.payload?.type === 'json' ? JSON.stringify(event.payload.data) : null;

export async function openPostgresTarget(options: PostgresTargetOptions): Promise<Target> {
  const table = options.table ?? 'eventum_bench_events';
  const channel = `${table}_events`;
  const client = await connectClient(options.url);
  const listeners = new Set<pg.Client>();
  if (options.create) {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(
      `CREATE TABLE ${table} (id bigserial PRIMARY KEY, type text COLLATE "C" NOT NULL,
         ts timestamptz NOT NULL DEFAULT clock_timestamp(), source_ts timestamptz, payload jsonb)`,
    );
    await client.query(`CREATE INDEX ON ${table} (ts, id)`);
    await client.query(`CREATE INDEX ON ${table} (type, ts)`);
    if (options.notify === true) {
      await client.query(
        `CREATE OR REPLACE FUNCTION ${table}_notify() RETURNS trigger AS $$ BEGIN
           PERFORM pg_notify('${channel}',
             json_build_object('type', NEW.type, 'payload', NEW.payload)::text);
           RETURN NULL; END $$ LANGUAGE plpgsql`,
      );
      await client.query(
        `CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table}
           FOR EACH ROW EXECUTE FUNCTION ${table}_notify()`,
      );
    }
  }
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  let inserting: Promise<unknown> = Promise.resolve();
  const insertMany = {
    name: `${table}-insert-many`,
    text: `INSERT INTO ${table} (type, source_ts, payload)
           SELECT t, ${FROM_MICROS('u')}, p FROM unnest($1::text[], $2::bigint[], $3::jsonb[]) x(t, u, p)`,
  };
  const insertOne = {
    name: `${table}-insert-one`,
    text: `INSERT INTO ${table} (type, source_ts, payload) VALUES ($1, ${FROM_MICROS('$2::bigint')}, $3)`,
  };
  return {
    name: NAME,
    serverPids: () => Promise.resolve(pid === undefined ? [] : [pid]),
    async registerBatch(events) {
      await client.query({
        ...insertMany,
        values: [
          events.map((e) => e.type.join('/')),
          events.map((e) => micros(e.sourceTimestamp)),
          events.map(payloadText),
        ],
      });
    },
    async registerOne(event) {
      // One connection runs one statement at a time; the fan-out publisher does not wait for
      // each insert, so its inserts queue here in order (pg's own queueing is deprecated).
      const done = inserting.then(() =>
        client.query({
          ...insertOne,
          values: [event.type.join('/'), micros(event.sourceTimestamp), payloadText(event)],
        }),
      );
      inserting = done.catch(() => undefined);
      await done;
    },
    async latest(prefix) {
      const result = await client.query({
        name: `${table}-latest`,
        text: `SELECT DISTINCT ON (type) type, ts, payload FROM ${table}
               WHERE type LIKE $1 ORDER BY type, ts DESC, id DESC`,
        values: [`${prefix}/%`],
      });
      return result.rowCount ?? 0;
    },
    async readAll(prefix, pageSize) {
      let count = 0;
      let lastTs = '-infinity';
      let lastId = '0';
      for (;;) {
        const { rows } = await client.query<{ id: string; ts: string; payload: unknown }>({
          name: `${table}-page`,
          text: `SELECT id, ts::text AS ts, payload FROM ${table}
                 WHERE type LIKE $1 AND (ts, id) > ($2::timestamptz, $3::bigint)
                 ORDER BY ts, id LIMIT $4`,
          values: [`${prefix}/%`, lastTs, lastId, pageSize],
        });
        count += rows.length;
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < pageSize) return count;
        lastTs = last.ts;
        lastId = last.id;
      }
    },
    async subscribe(prefix, onEvent) {
      const listener = await connectClient(options.url);
      listener.on('notification', (message) => {
        if (message.channel !== channel || message.payload === undefined) return;
        const row = JSON.parse(message.payload) as { type: string; payload: unknown };
        if (row.type.startsWith(`${prefix}/`)) onEvent(row.payload);
      });
      await listener.query(`LISTEN ${channel}`);
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.query(`UNLISTEN ${channel}`);
        await listener.end();
      };
    },
    async close() {
      await Promise.all([...listeners].map((listener) => listener.end()));
      if (options.create) {
        await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.query(`DROP FUNCTION IF EXISTS ${table}_notify()`);
      }
      await client.end();
    },
  };
}
