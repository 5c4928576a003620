import { randomBytes } from 'node:crypto';
import { after } from 'node:test';

import { testPgUrl } from '@eventum/testing';
import pg from 'pg';

const schemas: string[] = [];
after(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client(testPgUrl);
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await client.end();
});

/** The environment of a system on the test PostgreSQL, in a schema of its own that is dropped
 * when the test file ends. */
export function postgresEnv(prefix: string): Record<string, string> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  schemas.push(schema);
  return {
    PERSISTENCE_MODULE: 'postgres',
    POSTGRES_URL: testPgUrl,
    POSTGRES_SCHEMA: schema,
    POSTGRES_POOL_SIZE: '3',
  };
}
