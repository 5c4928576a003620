import type pg from 'pg';

import type { Generation, StagedEvent } from './staging.js';

/** SQL of the flush transaction, for one schema (`t` quoted). */
export interface WriteStatements {
  readonly insertEvents: string;
  readonly upsertLatest: string;
  readonly upsertServers: string;
}

export function writeStatements(t: string): WriteStatements {
  return {
    // The encodings travel as one binary parameter cut by offsets: an array of bytea would be
    // sent as hex text, twice the bytes and a string build per event.
    insertEvents: `INSERT INTO ${t}.events
        (server_id, session_id, instance_id, t_s, t_us, st_s, st_us, partitions, encoded)
      SELECT s, se, i, ts, tus, sts, stus, p, substring($10::bytea FROM o FOR l)
      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::integer[],
                  $6::bigint[], $7::integer[], $8::integer[], $9::integer[], $11::integer[])
        AS u(s, se, i, ts, tus, sts, stus, p, o, l)
      ON CONFLICT DO NOTHING`,
    // Hat's natural order decides which event is the latest of its type (compareEvents):
    // the same server compares ids, different servers compare timestamps.
    upsertLatest: `INSERT INTO ${t}.latest AS l (type, server_id, session_id, instance_id, t_s, t_us)
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                           $6::integer[])
      ON CONFLICT (type) DO UPDATE SET server_id = EXCLUDED.server_id,
        session_id = EXCLUDED.session_id, instance_id = EXCLUDED.instance_id,
        t_s = EXCLUDED.t_s, t_us = EXCLUDED.t_us
      WHERE CASE WHEN l.server_id = EXCLUDED.server_id
        THEN (l.session_id, l.instance_id) <= (EXCLUDED.session_id, EXCLUDED.instance_id)
        ELSE (l.t_s, l.t_us) <= (EXCLUDED.t_s, EXCLUDED.t_us) END`,
    upsertServers: `INSERT INTO ${t}.servers AS v (server_id, session_id, instance_id, t_s, t_us)
      SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[],
                           $5::integer[])
      ON CONFLICT (server_id) DO UPDATE SET session_id = EXCLUDED.session_id,
        instance_id = EXCLUDED.instance_id, t_s = EXCLUDED.t_s, t_us = EXCLUDED.t_us
      WHERE (v.session_id, v.instance_id) < (EXCLUDED.session_id, EXCLUDED.instance_id)`,
  };
}

/**
 * Writes `generation` in one transaction: its events (one multi-row insert), the latest table,
 * the servers' last ids, and (when `channel` is set) one `NOTIFY` telling the other servers of
 * the schema which origins advanced. Idempotent: a flush retried after a commit whose answer was
 * lost stores nothing twice (existing events are left as they are).
 */
export async function writeGeneration(
  client: pg.ClientBase,
  sql: WriteStatements,
  generation: Generation,
  notify: { channel: string; origin: string } | null,
): Promise<void> {
  await client.query('BEGIN');
  try {
    if (generation.stored.length > 0) {
      await client.query(sql.insertEvents, eventColumns(generation.stored));
    }
    if (generation.latest.size > 0) {
      await client.query(sql.upsertLatest, latestColumns(generation.latest));
    }
    if (generation.servers.size > 0) {
      await client.query(sql.upsertServers, serverColumns(generation));
    }
    if (notify !== null && generation.stored.length > 0) {
      const servers = [...generation.byServer.keys()];
      await client.query('SELECT pg_notify($1, $2)', [
        notify.channel,
        JSON.stringify({ origin: notify.origin, servers }),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function eventColumns(stored: readonly StagedEvent[]): unknown[] {
  const n = stored.length;
  const [s, se, i, ts, tus, sts, stus, p, o, l] = Array.from(
    { length: 10 },
    () => new Array<number | null>(n),
  );
  let bytes = 0;
  for (const staged of stored) bytes += staged.encoded.length;
  const all = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (let k = 0; k < n; k++) {
    const { event, encoded, partitions } = stored[k]!;
    s![k] = event.id.server;
    se![k] = event.id.session;
    i![k] = event.id.instance;
    ts![k] = event.timestamp.s;
    tus![k] = event.timestamp.us;
    sts![k] = event.sourceTimestamp?.s ?? null;
    stus![k] = event.sourceTimestamp?.us ?? null;
    p![k] = partitions;
    o![k] = offset + 1; // SQL's substring counts from 1
    l![k] = encoded.length;
    all.set(encoded, offset);
    offset += encoded.length;
  }
  return [s, se, i, ts, tus, sts, stus, p, o, all, l];
}

function latestColumns(latest: ReadonlyMap<string, StagedEvent>): unknown[] {
  const columns: unknown[][] = [[], [], [], [], [], []];
  for (const [key, { event }] of latest) {
    columns[0]!.push(key);
    columns[1]!.push(event.id.server);
    columns[2]!.push(event.id.session);
    columns[3]!.push(event.id.instance);
    columns[4]!.push(event.timestamp.s);
    columns[5]!.push(event.timestamp.us);
  }
  return columns;
}

function serverColumns(generation: Generation): unknown[] {
  const columns: unknown[][] = [[], [], [], [], []];
  for (const [server, state] of generation.servers) {
    columns[0]!.push(server);
    columns[1]!.push(state.lastId.session);
    columns[2]!.push(state.lastId.instance);
    columns[3]!.push(state.lastTimestamp.s);
    columns[4]!.push(state.lastTimestamp.us);
  }
  return columns;
}
