import { randomBytes } from 'node:crypto';

import { testPgUrl } from './services.js';
import pg from 'pg';

/** A PostgreSQL schema name no other test uses (tests sharing the database each use their own). */
export const uniqueSchema = (): string => `eventum_test_${randomBytes(5).toString('hex')}`;

/** Runs `body` on a connection of its own to `url`. */
export async function withClient<T>(
  body: (client: pg.Client) => Promise<T>,
  url = testPgUrl,
): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** Drops `schema` and everything in it. */
export function dropSchema(schema: string, url = testPgUrl): Promise<void> {
  return withClient(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }, url);
}
