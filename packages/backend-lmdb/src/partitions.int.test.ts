import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { makeEvent, session } from '@eventum/testing';

import type { LmdbPartitionConfig } from './config.js';
import { readStats } from './sources.js';
import { idsOf, lmdbHarness } from './testing/harness.js';
import { inspectLmdb } from './tools/inspect.js';

const part = (
  subscriptions: string[][],
  order_by: 'TIMESTAMP' | 'SOURCE_TIMESTAMP' = 'TIMESTAMP',
): LmdbPartitionConfig => ({
  order_by,
  subscriptions,
});

describe('lmdb backend: partitions', () => {
  it('keeps partition ids across restarts and gives new partitions the next id', async (t) => {
    const h = await lmdbHarness(t);
    await (
      await h.open({ timeseries: [part([['a', '*']]), part([['*']], 'SOURCE_TIMESTAMP')] })
    ).backend.close();
    const first = await inspectLmdb(h.dbPath);
    assert.deepEqual(
      first.partitions.map((p) => [p.partitionId, p.orderBy]),
      [
        [1, 'timestamp'],
        [2, 'sourceTimestamp'],
      ],
    );
    // Reordered, with a limit (not part of the identity) and a new partition.
    const reordered = [
      part([['*']], 'SOURCE_TIMESTAMP'),
      part([['b']]),
      { ...part([['a', '*']]), limit: { max_entries: 5 } },
    ];
    const { backend } = await h.open({ timeseries: reordered });
    await backend.register(session(1, 1, [['a', 'x'], ['b']]));
    await backend.close();
    const second = await inspectLmdb(h.dbPath);
    const byId = new Map(second.partitions.map((p) => [p.partitionId, p]));
    assert.deepEqual(byId.get(1)?.subscriptions, [['a', '*']]);
    assert.deepEqual(byId.get(3)?.subscriptions, [['b']]);
    assert.equal(byId.get(1)?.count, 1);
    assert.equal(byId.get(2)?.count, 2);
    assert.equal(byId.get(3)?.count, 1);
  });

  it('answers from the narrowest covering partition', async (t) => {
    const h = await lmdbHarness(t, { timeseries: [part([['*']]), part([['a', '*']])] });
    const { backend } = await h.open();
    for (let s = 1; s <= 10; s++)
      await backend.register(session(1, s, [['a', 'x'], ['b'], ['b'], ['b']]));
    await backend.flush();
    const before = readStats.timeseriesEntries;
    const result = await backend.query({
      type: 'timeseries',
      eventTypes: [['a', 'x']],
      order: 'ascending',
    });
    assert.equal(result.events.length, 10);
    assert.equal(readStats.timeseriesEntries - before, 10);
    const all = await backend.query({ type: 'timeseries' });
    assert.equal(all.events.length, 40);
  });

  it('merges partitions when no single one covers the query, without duplicates', async (t) => {
    const h = await lmdbHarness(t, {
      timeseries: [
        part([['a', '*']]),
        part([
          ['a', 'x'],
          ['b', '*'],
        ]),
      ],
    });
    const { backend } = await h.open();
    await backend.register(
      session(1, 1, [
        ['a', 'x'],
        ['b', 'y'],
        ['a', 'z'],
      ]),
    );
    await backend.flush();
    await backend.register(
      session(1, 2, [
        ['b', 'y'],
        ['a', 'x'],
      ]),
    );
    for (const order of ['ascending', 'descending'] as const) {
      const result = await backend.query({
        type: 'timeseries',
        order,
        eventTypes: [
          ['a', '*'],
          ['b', '*'],
        ],
      });
      const expected = ['1/1/1', '1/1/2', '1/1/3', '1/2/1', '1/2/2'];
      assert.deepEqual(idsOf(result.events), order === 'ascending' ? expected : expected.reverse());
    }
    const paged = await backend.query({
      type: 'timeseries',
      order: 'ascending',
      eventTypes: [
        ['a', '*'],
        ['b', '*'],
      ],
      lastEventId: { server: 1, session: 1, instance: 2 },
    });
    assert.deepEqual(idsOf(paged.events), ['1/1/3', '1/2/1', '1/2/2']);
  });

  it('leaves events without a source timestamp out of SOURCE_TIMESTAMP partitions', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open();
    await backend.register([
      makeEvent(1, 1, 1, ['a'], { sourceTimestamp: { s: 5, us: 0 } }),
      makeEvent(1, 1, 2, ['a']),
    ]);
    await backend.flush();
    const bySource = await backend.query({ type: 'timeseries', orderBy: 'sourceTimestamp' });
    assert.deepEqual(idsOf(bySource.events), ['1/1/1']);
    const byTime = await backend.query({
      type: 'timeseries',
      orderBy: 'timestamp',
      order: 'ascending',
    });
    assert.deepEqual(idsOf(byTime.events), ['1/1/1', '1/1/2']);
    const counts = (await inspectLmdb(h.dbPath)).partitions.map((p) => p.count);
    assert.deepEqual(counts, [2, 1]);
  });

  it('answers nothing for an order no partition has', async (t) => {
    const h = await lmdbHarness(t, { timeseries: [part([['*']])] });
    const { backend } = await h.open();
    await backend.register([makeEvent(1, 1, 1, ['a'], { sourceTimestamp: { s: 5, us: 0 } })]);
    const result = await backend.query({ type: 'timeseries', orderBy: 'sourceTimestamp' });
    assert.deepEqual(result, { events: [], moreFollows: false });
  });
});
