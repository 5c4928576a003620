import { decodeEvent, rememberEventEncoding } from '@eventum/core';
import type { Event } from '@eventum/core';
import type pg from 'pg';

import type { Generation } from './staging.js';

/** What the queries read: the database and the generations not yet committed. */
export interface QueryView {
  readonly pool: pg.Pool;
  /** The quoted schema. */
  readonly t: string;
  /** The generation being flushed (if any), then the current one. */
  readonly generations: readonly Generation[];
  readonly maxResults: number;
  readonly maxResultBytes: number;
}

/** A stored event, remembering its stored bytes (the server answers with them). */
export function eventOf(encoded: Buffer): Event {
  const event = decodeEvent(encoded);
  rememberEventEncoding(event, encoded);
  return event;
}

/** Runs `text` and decodes the `encoded` column of every row. */
export async function readEvents(
  view: QueryView,
  text: string,
  values: unknown[],
): Promise<Event[]> {
  const result = await view.pool.query<{ encoded: Buffer }>(text, values);
  return result.rows.map((row) => eventOf(row.encoded));
}

/**
 * Runs `body` on a connection of the pool, kept for its duration (a transaction). A connection
 * that failed is dropped, not returned to the pool; one the server ended while checked out
 * (between two statements) reports it to its next statement instead of crashing the process.
 */
export async function withConnection<T>(
  pool: pg.Pool,
  body: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let failed = false;
  try {
    return await body(client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(failed);
  }
}
