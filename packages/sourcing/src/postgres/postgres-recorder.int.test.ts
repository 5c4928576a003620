import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import {
  recorderContract,
  requireService,
  storedEvent,
  testPgUrl,
  withRecorders,
} from '@eventum/testing';
import pg from 'pg';

import { connectionPool, createPostgresRecorders } from './postgres-recorders.js';
import { tableNames } from './schema.js';
import { statements } from './sql.js';

/** How long a tailing reader keeps reading after the writers are done (other transactions in
 * the cluster may hold the visibility fence back for a while). */
const DRAIN_MS = 30_000;
const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('PostgreSQL recorders', (t) => t.skip(reason));
});
const schema = `es_test_${randomBytes(4).toString('hex')}`;
let apps = 0;
const open = () =>
  createPostgresRecorders({ url: testPgUrl, schema, name: `app${++apps}`, poolSize: 10 });

async function sql<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(testPgUrl);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

if (available) {
  it('drops a read in flight when its signal fires (ERR_ABORTED, the pool stays usable)', () =>
    withRecorders(open, async ({ events }) => {
      await events.insertEvents([storedEvent('a', 1)]);
      const controller = new AbortController();
      const reading = events.selectEvents('a', { signal: controller.signal });
      controller.abort();
      await assert.rejects(reading, (e) => isEventumError(e, 'ERR_ABORTED'));
      assert.equal((await events.selectEvents('a')).length, 1);
    }));

  after(() => sql((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
  recorderContract('postgres', open);

  it('deferred: every pooled connection commits with synchronous_commit off', async () => {
    const settings = async (durability: 'synced' | 'deferred') => {
      const pool = connectionPool({ url: testPgUrl, name: 'x', poolSize: 2, durability });
      try {
        const clients = [await pool.connect(), await pool.connect()];
        const shown = [];
        for (const c of clients) {
          const { rows } = await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
          shown.push(rows[0]?.synchronous_commit);
          c.release();
        }
        return shown;
      } finally {
        await pool.end();
      }
    };
    assert.deepEqual(await settings('deferred'), ['off', 'off']);
    assert.deepEqual(await settings('synced'), ['on', 'on']);
    const deferred = () =>
      createPostgresRecorders({
        url: testPgUrl,
        schema,
        name: `app${++apps}`,
        durability: 'deferred',
      });
    await withRecorders(deferred, async ({ events }) => {
      const ids = await events.insertEvents([storedEvent('a', 1), storedEvent('a', 2)]);
      assert.ok(ids[0]! < ids[1]!);
      assert.equal((await events.selectEvents('a')).length, 2);
    });
  });

  describe('PostgreSQL global order', () => {
    it('hides commits behind an older transaction still running, then shows both in order', () =>
      withRecorders(open, async ({ events }) => {
        const table = tableNames(schema, `app${apps}`).events;
        await events.insertEvents([storedEvent('before', 1)]);
        const seen = await events.maxNotificationId();
        const slow = new pg.Client(testPgUrl);
        await slow.connect();
        try {
          await slow.query('BEGIN');
          await slow.query(
            `INSERT INTO ${table} (notification_id, originator_id, originator_version, topic, event_id, state)
             VALUES ((pg_current_xact_id()::text::bigint << 16) + 1, 'slow', 1, 'T', 'slow-1', '\\x00')`,
          );
          const [fast] = await events.insertEvents([storedEvent('fast', 1)]);
          assert.equal(
            await events.maxNotificationId(),
            seen,
            'the later commit waits behind the fence',
          );
          assert.deepEqual(await events.selectNotifications({ start: seen + 1, limit: 10 }), []);
          await slow.query('COMMIT');
          const after = await events.selectNotifications({ start: seen + 1, limit: 10 });
          assert.deepEqual(
            after.map((n) => n.originatorId),
            ['slow', 'fast'],
          );
          assert.equal(after[1]!.id, fast);
        } finally {
          await slow.end();
        }
      }));

    it('never shows a tailing reader a gap filled later, with N writers committing slowly', () =>
      withRecorders(open, async ({ events }) => {
        const insert = statements(tableNames(schema, `app${apps}`)).insert;
        const writers = 8;
        const perWriter = 25;
        const seen: number[] = [];
        let writing = true;
        let doneAt = Infinity;
        const drainUntil = (): number => doneAt + DRAIN_MS;
        const tail = (async () => {
          while (writing || (seen.length < writers * perWriter && Date.now() < drainUntil())) {
            const next = await events.selectNotifications({
              start: (seen.at(-1) ?? 0) + 1,
              limit: 50,
            });
            seen.push(...next.map((n) => n.id));
          }
        })();
        const writes = Promise.all(
          Array.from({ length: writers }, (_, w) =>
            sql(async (c) => {
              for (let v = 1; v <= perWriter; v++) {
                const e = storedEvent(`slow-writer-${w}`, v);
                await c.query('BEGIN');
                const before = v > 1 ? [[e.originatorId], [v - 1]] : [[], []];
                const row = [[e.originatorId], [v], [e.topic], [e.eventId], [e.state], ...before];
                await c.query(insert, row);
                await c.query('SELECT pg_sleep($1)', [Math.random() * 0.01]);
                await c.query('COMMIT');
              }
            }),
          ),
        ).finally(() => {
          writing = false;
          doneAt = Date.now();
        });
        const [written, tailed] = await Promise.allSettled([writes, tail]);
        assert.equal(
          written.status,
          'fulfilled',
          String((written as PromiseRejectedResult).reason),
        );
        assert.equal(tailed.status, 'fulfilled', String((tailed as PromiseRejectedResult).reason));
        const all = await events.selectNotifications({ start: 1, limit: writers * perWriter + 1 });
        assert.deepEqual(
          seen,
          all.map((n) => n.id),
        );
      }));

    it('creates its tables once and records their version', async () => {
      const name = `app${++apps}`;
      const both = await Promise.all(
        [1, 2].map(() => createPostgresRecorders({ url: testPgUrl, schema, name })),
      );
      await Promise.all(both.map((r) => r.close()));
      const rows = await sql((c) =>
        c.query(`SELECT version FROM "${schema}".eventum_sourcing_schema WHERE application = $1`, [
          name,
        ]),
      );
      assert.deepEqual(rows.rows, [{ version: 1 }]);
      await sql((c) =>
        c.query(
          `UPDATE "${schema}".eventum_sourcing_schema SET version = 99 WHERE application = $1`,
          [name],
        ),
      );
      await assert.rejects(createPostgresRecorders({ url: testPgUrl, schema, name }), (e) =>
        isEventumError(e, 'ERR_UNSUPPORTED'),
      );
    });

    it('keeps events after the recorders are closed and opened again', async () => {
      const name = `app${++apps}`;
      const first = await createPostgresRecorders({ url: testPgUrl, schema, name });
      const [id] = await first.events.insertEvents([storedEvent('kept', 1)]);
      await first.close();
      const second = await createPostgresRecorders({ url: testPgUrl, schema, name });
      assert.equal(await second.events.maxNotificationId(), id);
      await second.close();
    });
  });
}
