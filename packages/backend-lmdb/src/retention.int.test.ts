import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { makeEvent, session, waitFor } from '@eventum/testing';

import type { LmdbPartitionLimit } from './config.js';
import { idsOf, lmdbHarness } from './testing/harness.js';
import { inspectLmdb } from './tools/inspect.js';
import { readLmdb } from './tools/read.js';

const limited = (limit: LmdbPartitionLimit) => ({
  cleanup_period: 0.01,
  timeseries: [{ order_by: 'TIMESTAMP' as const, subscriptions: [['*']], limit }],
});

/** Six sessions of one event each, timestamps 1 s apart. */
const six = () => [1, 2, 3, 4, 5, 6].map((s) => makeEvent(1, s, 1, ['a', String(s)]));

describe('lmdb backend: retention', () => {
  it('max_entries keeps the newest entries', async (t) => {
    const h = await lmdbHarness(t, limited({ max_entries: 2 }));
    const { backend } = await h.open();
    await backend.register(six());
    await backend.flush();
    await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 2);
    const result = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(result.events), ['1/5/1', '1/6/1']);
    assert.equal((await inspectLmdb(h.dbPath)).partitions[0]?.count, 2);
  });

  it('duration 0 with min_entries keeps min_entries', async (t) => {
    const h = await lmdbHarness(t, limited({ min_entries: 2, duration: 0 }));
    const { backend } = await h.open();
    await backend.register(six());
    await backend.flush();
    await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(result.events), ['1/5/1', '1/6/1']);
  });

  it('size keeps the partition within its bytes (min_entries still holds)', async (t) => {
    const h = await lmdbHarness(t, limited({ size: 0, min_entries: 3 }));
    const { backend } = await h.open();
    await backend.register(six());
    await backend.flush();
    await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 3);
    const partition = (await inspectLmdb(h.dbPath)).partitions[0];
    assert.equal(partition?.count, 3);
    assert.ok((partition?.size ?? 0) > 0);
  });

  it('a size limit of about two entries keeps two', async (t) => {
    const h = await lmdbHarness(t);
    const probe = await h.open();
    await probe.backend.register([makeEvent(1, 1, 1, ['a', '1'])]);
    await probe.backend.close();
    const entry = (await inspectLmdb(h.dbPath)).partitions[0]?.size ?? 0;
    assert.ok(entry > 0);
    const { backend } = await h.open(limited({ size: entry * 2 + 10 }));
    await backend.register(six().slice(1));
    await backend.flush();
    await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 2);
  });

  it('removes references, so server queries shrink, and keeps latest-only references', async (t) => {
    const h = await lmdbHarness(t, limited({ max_entries: 0 }));
    const { backend } = await h.open();
    await backend.register(session(1, 1, [['a'], ['b']]));
    await backend.register(session(1, 2, [['a']]));
    await backend.flush();
    await waitFor(async () => (await backend.query({ type: 'timeseries' })).events.length === 0);
    const server = await backend.query({ type: 'server', serverId: 1, persisted: true });
    // 1/1/1 was only in the partition (and is no longer the latest a): gone. The others are latest.
    assert.deepEqual(idsOf(server.events), ['1/1/2', '1/2/1']);
    await backend.close();
    const refs = (await inspectLmdb(h.dbPath)).refCount;
    assert.equal(refs, 2);
  });

  it('cleans only flushed entries', async (t) => {
    const h = await lmdbHarness(t, { ...limited({ max_entries: 0 }), flush_period: 3600 });
    const { backend } = await h.open();
    await backend.register(six());
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await backend.query({ type: 'timeseries' })).events.length, 6);
  });

  it('keeps partitions that are no longer configured unless told to remove them', async (t) => {
    const h = await lmdbHarness(t);
    const all = { order_by: 'TIMESTAMP' as const, subscriptions: [['*']] };
    const first = await h.open({ timeseries: [all, { ...all, subscriptions: [['a', '*']] }] });
    await first.backend.register(six());
    await first.backend.close();
    const second = await h.open({ timeseries: [all], cleanup_period: 0.01 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await second.backend.close();
    const partitions = (await inspectLmdb(h.dbPath)).partitions;
    assert.equal(partitions.length, 2);
    assert.ok(partitions.every((p) => p.count > 0));
  });

  it('empties and forgets unconfigured partitions with remove_unconfigured_partitions', async (t) => {
    const h = await lmdbHarness(t);
    const all = { order_by: 'TIMESTAMP' as const, subscriptions: [['*']] };
    const first = await h.open({ timeseries: [all, { ...all, subscriptions: [['a', '*']] }] });
    await first.backend.register(six());
    await first.backend.close();
    const { backend } = await h.open({
      timeseries: [all],
      cleanup_period: 0.01,
      remove_unconfigured_partitions: true,
    });
    await waitFor(async () => (await inspectLmdb(h.dbPath)).partitions.length === 1);
    const refs: unknown[] = [];
    for await (const ref of readLmdb(h.dbPath, 'ref')) refs.push(ref['partition_id']);
    assert.ok(refs.every((id) => id === undefined || id === 1));
    assert.equal((await backend.query({ type: 'timeseries' })).events.length, 6);
  });
});
