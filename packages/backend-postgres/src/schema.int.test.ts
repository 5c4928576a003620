import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { requireService, session, testPgUrl, withClient } from '@eventum/testing';

import { SCHEMA_VERSION } from './schema.js';
import { pgHarness } from './testing/harness.js';

const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('PostgreSQL schema', (t) => t.skip(reason));
});

if (available) {
  describe('postgres backend: schema and pool', () => {
    it('creates its tables once when servers start together, and records the version', async (t) => {
      const h = pgHarness(t);
      await Promise.all([h.open(), h.open(), h.open()]);
      const rows = await withClient((c) =>
        c.query<{ version: number }>(`SELECT version FROM "${h.schema}".eventum_schema`),
      );
      assert.deepEqual(rows.rows, [{ version: SCHEMA_VERSION }]);
    });

    it('refuses a schema newer than it knows with ERR_UNSUPPORTED, naming both versions', async (t) => {
      const h = pgHarness(t);
      const { backend } = await h.open();
      await backend.close();
      await withClient((c) => c.query(`UPDATE "${h.schema}".eventum_schema SET version = 99`));
      await assert.rejects(
        h.open(),
        (e) =>
          isEventumError(e, 'ERR_UNSUPPORTED') &&
          e.message.includes('version 99') &&
          e.message.includes(`(${SCHEMA_VERSION})`),
      );
    });

    it('fails to open with ERR_BACKEND when PostgreSQL cannot be reached', async (t) => {
      const h = pgHarness(t);
      await assert.rejects(
        h.open({ url: 'postgres://postgres@127.0.0.1:1/test', connect_timeout: 1 }),
        (e) => isEventumError(e, 'ERR_BACKEND'),
      );
    });

    it('never opens more connections than pool_size (plus its listener)', async (t) => {
      const h = pgHarness(t);
      const { backend } = await h.open({ pool_size: 3 });
      await backend.register(session(1, 1, [['a'], ['b']]));
      await backend.flush();
      const queries = Array.from({ length: 30 }, () =>
        backend.query({ type: 'timeseries', order: 'ascending' }),
      );
      const counts = await withClient(async (c) => {
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) {
          const r = await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`,
            [`eventum:${h.schema}`],
          );
          seen.push(Number(r.rows[0]!.n));
        }
        return seen;
      });
      await Promise.all(queries);
      // The pool's 3, and the connection that listens for other servers (no application name).
      assert.ok(
        counts.every((n) => n <= 3),
        `connections seen: ${counts.join(', ')}`,
      );
    });
  });
}
