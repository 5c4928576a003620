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
 * - The table is analyzed before the first query after writes (see `analyzeIfWritten`): without
 *   statistics the planner pages through a prefix by sorting all of its remaining rows.
 * - Every statement has a server-side and a client-side time limit, and a target that fails
 *   half-way through opening ends its connection: nothing can keep the benchmark waiting.
 * - Push delivery is LISTEN/NOTIFY from an AFTER INSERT trigger, created only when asked
 *   (`notify`), so the throughput scenarios do not pay for it.
 */
import { userInfo } from 'node:os';

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
/** The client's own limit, for a server that stops answering altogether; a little longer, so
 * the server's cancellation normally wins. */
const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 5_000;

/** libpq connects as the OS user when the URL names none; pg falls back to `$USER` instead, which
 * containers and CI often leave unset, and then fails. Do what libpq does. */
function withUser(url: string): string {
  if (process.env['PGUSER'] !== undefined || process.env['USER'] !== undefined) return url;
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.host === '') return url;
    parsed.username = userInfo().username;
    return parsed.toString();
  } catch {
    return url; // not a URL pg would read differently; let pg report on it
  }
}

async function connectClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: withUser(url),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
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

/** The channel the insert trigger notifies on. */
const channelOf = (table: string): string => `${table}_events`;

/** A fresh table (dropping any a failed run left), its indexes, and with `notify` the trigger. */
async function createTable(client: pg.Client, table: string, notify: boolean): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    `CREATE TABLE ${table} (id bigserial PRIMARY KEY, type text COLLATE "C" NOT NULL,
       ts timestamptz NOT NULL DEFAULT clock_timestamp(), source_ts timestamptz, payload jsonb)`,
  );
  await client.query(`CREATE INDEX ON ${table} (ts, id)`);
  await client.query(`CREATE INDEX ON ${table} (type, ts)`);
  if (!notify) return;
  await client.query(
    `CREATE OR REPLACE FUNCTION ${table}_notify() RETURNS trigger AS $$ BEGIN
       PERFORM pg_notify('${channelOf(table)}',
         json_build_object('type', NEW.type, 'payload', NEW.payload)::text);
       RETURN NULL; END $$ LANGUAGE plpgsql`,
  );
  await client.query(
    `CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table}
       FOR EACH ROW EXECUTE FUNCTION ${table}_notify()`,
  );
}

export async function openPostgresTarget(options: PostgresTargetOptions): Promise<Target> {
  const table = options.table ?? 'eventum_bench_events';
  const channel = channelOf(table);
  const client = await connectClient(options.url);
  const listeners = new Set<pg.Client>();
  let pid: number | undefined;
  try {
    if (options.create) await createTable(client, table, options.notify === true);
    pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  } catch (error) {
    // An open socket would keep the benchmark's process alive after it reports the skip.
    await client.end();
    throw error;
  }
  let inserting: Promise<unknown> = Promise.resolve();
  /** Rows were written since the planner last got statistics on the table. */
  let unanalyzed = true;
  /** Without statistics the planner takes any prefix for rare, collects its rows through the
   * (type, ts) index and sorts them, so each page of `readAll` reads every row after it.
   * Autovacuum would gather them, but a minute after the writes at best (never where it is off,
   * as on the test server); a user who loads a table and then queries it runs ANALYZE, as the
   * PostgreSQL manual advises. The scenarios' warm-up rounds absorb it, as the background would. */
  const analyzeIfWritten = async (): Promise<void> => {
    if (!unanalyzed) return;
    await client.query(`ANALYZE ${table}`);
    unanalyzed = false;
  };
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
      unanalyzed = true;
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
      unanalyzed = true;
    },
    async latest(prefix) {
      await analyzeIfWritten();
      const result = await client.query({
        name: `${table}-latest`,
        text: `SELECT DISTINCT ON (type) type, ts, payload FROM ${table}
               WHERE type LIKE $1 ORDER BY type, ts DESC, id DESC`,
        values: [`${prefix}/%`],
      });
      return result.rowCount ?? 0;
    },
    async readAll(prefix, pageSize) {
      await analyzeIfWritten();
      let count = 0;
      let lastTs = '-infinity';
      let lastId = '0';
      for (;;) {
        // The text column must not be called `ts`: ORDER BY would take the output column, sort
        // text, and read the whole table for every page instead of walking the (ts, id) index.
        const { rows } = await client.query<{ id: string; ts_text: string; payload: unknown }>({
          name: `${table}-page`,
          text: `SELECT id, ts::text AS ts_text, payload FROM ${table}
                 WHERE type LIKE $1 AND (ts, id) > ($2::timestamptz, $3::bigint)
                 ORDER BY ts, id LIMIT $4`,
          values: [`${prefix}/%`, lastTs, lastId, pageSize],
        });
        count += rows.length;
        const last = rows[rows.length - 1];
        if (last === undefined || rows.length < pageSize) return count;
        lastTs = last.ts_text;
        lastId = last.id;
      }
    },
    async storedBytes() {
      // The table with its indexes and TOAST, as PostgreSQL lays them out (the WAL not counted).
      const { rows } = await client.query<{ bytes: string }>(
        `SELECT pg_total_relation_size('${table}') AS bytes`,
      );
      return Number(rows[0]?.bytes ?? 0);
    },
    async subscribe(prefix, onEvent) {
      const listener = await connectClient(options.url);
      listener.on('notification', (message) => {
        if (message.channel !== channel || message.payload === undefined) return;
        const row = JSON.parse(message.payload) as { type: string; payload: unknown };
        if (row.type.startsWith(`${prefix}/`)) onEvent(row.payload);
      });
      try {
        await listener.query(`LISTEN ${channel}`);
      } catch (error) {
        await listener.end();
        throw error;
      }
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.query(`UNLISTEN ${channel}`);
        await listener.end();
      };
    },
    async close() {
      try {
        await Promise.all([...listeners].map((listener) => listener.end()));
        if (options.create) {
          // The trigger goes with the table; its function does not.
          await client.query(`DROP TABLE IF EXISTS ${table}`);
          await client.query(`DROP FUNCTION IF EXISTS ${table}_notify()`);
        }
      } finally {
        await client.end();
      }
    },
  };
}
