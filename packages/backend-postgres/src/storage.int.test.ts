import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { PartitionConfig, PartitionLimit } from '@eventum/core';
import {
  json,
  makeEvent,
  requireService,
  session,
  testPgUrl,
  waitFor,
  withClient,
} from '@eventum/testing';

import { idsOf, pgHarness } from './testing/harness.js';

const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('PostgreSQL storage', (t) => t.skip(reason));
});

const limited = (limit: PartitionLimit) => ({
  cleanup_period: 0.02,
  timeseries: [{ order_by: 'TIMESTAMP' as const, subscriptions: [['*']], limit }],
});

/** Six sessions of one event each, timestamps 1 s apart (in 2023: long expired). */
const six = () => [1, 2, 3, 4, 5, 6].map((s) => makeEvent(1, s, 1, ['a', String(s)]));

if (available) {
  describe('postgres backend: retention', () => {
    it('max_entries keeps the newest entries; server queries lose the removed ones', async (t) => {
      const { backend } = await pgHarness(t, limited({ max_entries: 2 })).open({
        latest: { subscriptions: [] },
      });
      await backend.register(six());
      await backend.flush();
      await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 2);
      const result = await backend.query({ type: 'timeseries', order: 'ascending' });
      assert.deepEqual(idsOf(result.events), ['1/5/1', '1/6/1']);
      await waitFor(
        async () => (await backend.query({ type: 'server', serverId: 1 })).events.length === 2,
      );
    });

    it('duration 0 with min_entries keeps min_entries', async (t) => {
      const { backend } = await pgHarness(t, limited({ min_entries: 2, duration: 0 })).open();
      await backend.register(six());
      await backend.flush();
      await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const result = await backend.query({ type: 'timeseries', order: 'ascending' });
      assert.deepEqual(idsOf(result.events), ['1/5/1', '1/6/1']);
    });

    it('size keeps the partition within its bytes (min_entries still holds)', async (t) => {
      const { backend } = await pgHarness(t, limited({ size: 0, min_entries: 3 })).open();
      await backend.register(six());
      await backend.flush();
      await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 3);
    });

    it('keeps the latest event of a type even when retention removed it from every partition', async (t) => {
      const { backend } = await pgHarness(t, limited({ max_entries: 0 })).open();
      await backend.register(six());
      await backend.flush();
      await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 0);
      assert.equal((await backend.query({ type: 'latest' })).events.length, 6);
      assert.equal((await backend.query({ type: 'server', serverId: 1 })).events.length, 6);
    });
  });

  describe('postgres backend: partitions and conditions', () => {
    const partitions: PartitionConfig[] = [
      { order_by: 'TIMESTAMP', subscriptions: [['a', '*']] },
      { order_by: 'TIMESTAMP', subscriptions: [['b', '*']] },
      { order_by: 'SOURCE_TIMESTAMP', subscriptions: [['*']] },
    ];

    it('answers from the partitions that cover the query, merged in key order, across restarts', async (t) => {
      const h = pgHarness(t, { timeseries: partitions });
      let { backend } = await h.open();
      const events = [
        ...session(1, 1, [['a', 'x'], ['b', 'x'], ['c']]),
        ...session(1, 2, [
          ['b', 'y'],
          ['a', 'y'],
        ]),
      ];
      await backend.register(events);
      const check = async (): Promise<void> => {
        const a = await backend.query({
          type: 'timeseries',
          eventTypes: [['a', '*']],
          order: 'ascending',
        });
        assert.deepEqual(idsOf(a.events), ['1/1/1', '1/2/2']);
        // No single partition covers a and b: both are merged; c is in none of them.
        const ab = await backend.query({
          type: 'timeseries',
          eventTypes: [['*']],
          order: 'ascending',
        });
        assert.deepEqual(idsOf(ab.events), ['1/1/1', '1/1/2', '1/2/1', '1/2/2']);
        const bySource = await backend.query({
          type: 'timeseries',
          orderBy: 'sourceTimestamp',
          order: 'ascending',
        });
        assert.deepEqual(idsOf(bySource.events), ['1/2/2', '1/2/1', '1/1/3', '1/1/2', '1/1/1']);
      };
      await check(); // staged
      await backend.flush();
      await check(); // stored
      await backend.close();
      ({ backend } = await h.open({ timeseries: [...partitions].reverse() }));
      await check(); // partitions keep their ids whatever their configuration order
    });

    it('refuses two partitions alike with ERR_CONFIG naming the second', async (t) => {
      const twice = [partitions[0]!, partitions[0]!];
      await assert.rejects(
        pgHarness(t).open({ timeseries: twice }),
        (e) => isEventumError(e, 'ERR_CONFIG') && e.message.includes('/timeseries/1'),
      );
    });

    it('skips events failing their conditions, and hides stored ones a tightened condition rejects', async (t) => {
      const h = pgHarness(t);
      const rule = (value: number) => [
        {
          subscriptions: [['a']],
          condition: { type: 'json' as const, data_path: 'v', data_value: value },
        },
      ];
      let opened = await h.open({ conditions: rule(1) });
      const one = makeEvent(1, 1, 1, ['a'], { payload: json({ v: 1 }) });
      const two = makeEvent(1, 2, 1, ['a'], { payload: json({ v: 2 }) });
      assert.deepEqual(await opened.backend.register([one, two]), [one]);
      assert.ok(opened.lines.some((l) => l.message === 'event skipped: conditions not met'));
      await opened.backend.close();
      opened = await h.open({ conditions: rule(3) });
      assert.deepEqual((await opened.backend.query({ type: 'timeseries' })).events, []);
      assert.deepEqual((await opened.backend.query({ type: 'latest' })).events, []);
    });

    it('stores each event once, in one row per event (partitions are bits of it)', async (t) => {
      const h = pgHarness(t, { timeseries: partitions });
      const { backend } = await h.open();
      await backend.register(session(1, 1, [['a', 'x'], ['b', 'x'], ['c']]));
      await backend.flush();
      const rows = await withClient((c) =>
        c.query<{ n: string }>(`SELECT count(*) AS n FROM "${h.schema}".events`),
      );
      assert.equal(Number(rows.rows[0]!.n), 3);
    });
  });
}
