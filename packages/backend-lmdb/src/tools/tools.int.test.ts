import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { isEventumError } from '@eventum/core';
import { makeEvent, session } from '@eventum/testing';

import { idsOf, lmdbHarness } from '../testing/harness.js';
import type { LmdbHarness } from '../testing/harness.js';
import { copyLmdb } from './copy.js';
import { inspectLmdb, inspectionRecord } from './inspect.js';
import { readLmdb } from './read.js';
import type { LmdbReadFilters, LmdbRecordKind } from './read.js';

/** A closed file holding: server 1 sessions 1-2, server 2 session 1 (only `latest/*` in latest). */
async function sample(t: TestContext): Promise<LmdbHarness> {
  const h = await lmdbHarness(t, {
    identifier: 'site',
    latest: { subscriptions: [['latest', '*']] },
  });
  const { backend } = await h.open();
  await backend.register(session(1, 1, [['latest', 'a'], ['series']]));
  await backend.register(session(1, 2, [['latest', 'a']]));
  await backend.register([
    makeEvent(2, 1, 1, ['series'], {
      payload: { type: 'binary', binaryType: 'raw', data: Uint8Array.of(1, 255) },
    }),
  ]);
  await backend.reserveSessions?.(1, 10_002);
  await backend.close();
  return h;
}

async function collect(path: string, kind: LmdbRecordKind, filters: LmdbReadFilters = {}) {
  const out: Record<string, unknown>[] = [];
  for await (const record of readLmdb(path, kind, filters)) out.push(record);
  return out;
}

describe('lmdb tools', () => {
  it('inspect reports settings, servers, partitions and counts', async (t) => {
    const h = await sample(t);
    const inspection = await inspectLmdb(h.dbPath);
    assert.deepEqual(inspection.settings, { version: '0.9', identifier: 'site' });
    assert.deepEqual(
      inspection.servers.map((s) => [
        s.serverId,
        s.lastEventId.session,
        s.lastEventId.instance,
        s.reservedSession,
      ]),
      [
        [1, 2, 1, 10_002],
        [2, 1, 1, null],
      ],
    );
    assert.deepEqual(
      inspection.partitions.map((p) => [p.partitionId, p.orderBy, p.count]),
      [
        [1, 'timestamp', 4],
        [2, 'sourceTimestamp', 3],
      ],
    );
    assert.equal(inspection.latestCount, 1);
    assert.equal(inspection.refCount, 4);
    assert.equal((inspectionRecord(inspection)['servers'] as unknown[]).length, 2);
    await assert.rejects(inspectLmdb(join(h.dir, 'missing.db')), (e) =>
      isEventumError(e, 'ERR_NOT_FOUND'),
    );
  });

  it('reads every record kind as JSON-able objects, with filters', async (t) => {
    const h = await sample(t);
    assert.deepEqual(await collect(h.dbPath, 'settings'), [
      { settings_id: 'VERSION', data: '0.9' },
      { settings_id: 'IDENTIFIER', data: 'site' },
    ]);
    assert.deepEqual(await collect(h.dbPath, 'last_event_id', { serverId: 2 }), [
      { server: 2, session: 1, instance: 1 },
    ]);
    assert.deepEqual(await collect(h.dbPath, 'last_timestamp', { serverId: 1 }), [
      { server_id: 1, timestamp: { s: 1_700_000_002, us: 0 } },
    ]);
    const refs = await collect(h.dbPath, 'ref', { serverId: 1 });
    assert.deepEqual(
      refs.find((r) => r['ref_type'] === 'latest'),
      {
        event_id: { server: 1, session: 2, instance: 1 },
        ref_type: 'latest',
        event_type: ['latest', 'a'],
      },
    );
    assert.equal(refs.filter((r) => r['ref_type'] === 'timeseries').length, 6);
    const latest = await collect(h.dbPath, 'latest', { eventTypes: [['latest', '*']] });
    assert.deepEqual(
      latest.map((e) => e['id']),
      [{ server: 1, session: 2, instance: 1 }],
    );
    assert.deepEqual(await collect(h.dbPath, 'partition', { partitionId: 2 }), [
      { partition_id: 2, data: { order: 'sourceTimestamp', subscriptions: [['*']] } },
    ]);
    const series = await collect(h.dbPath, 'timeseries', { partitionId: 1, serverId: 2 });
    assert.deepEqual(series, [
      {
        id: { server: 2, session: 1, instance: 1 },
        type: ['series'],
        timestamp: { s: 1_700_000_001, us: 0 },
        source_timestamp: null,
        payload: { data_type: 'binary', binary_type: 'raw', data: '01ff' },
      },
    ]);
    assert.equal(
      (await collect(h.dbPath, 'timeseries', { eventTypes: [['latest', '?']] })).length,
      4,
    );
  });

  it('copies everything, reporting progress, into a file the backend opens', async (t) => {
    const h = await sample(t);
    const dst = join(h.dir, 'copy.db');
    const progress: [number, number][] = [];
    await copyLmdb(h.dbPath, dst, { onProgress: (done, total) => progress.push([done, total]) });
    const last = progress[progress.length - 1];
    assert.ok(last !== undefined && last[0] === last[1] && last[0] > 0);
    const copy = await lmdbHarness(t, {
      identifier: 'site',
      latest: { subscriptions: [['latest', '*']] },
    });
    const { backend } = await copy.open({ db_path: dst });
    const server = await backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.deepEqual(idsOf(server.events), ['1/1/1', '1/1/2', '1/2/1']);
    assert.deepEqual(idsOf((await backend.query({ type: 'latest' })).events), ['1/2/1']);
  });

  it('copies without the latest store or without the timeseries, filtering REF consistently', async (t) => {
    const h = await sample(t);
    const noLatest = join(h.dir, 'no-latest.db');
    await copyLmdb(h.dbPath, noLatest, { skipLatest: true });
    const a = await inspectLmdb(noLatest);
    assert.equal(a.latestCount, 0);
    assert.equal(a.refCount, 4);
    assert.ok((await collect(noLatest, 'ref')).every((r) => r['ref_type'] === 'timeseries'));
    const noSeries = join(h.dir, 'no-series.db');
    await copyLmdb(h.dbPath, noSeries, { skipTimeseries: true });
    const b = await inspectLmdb(noSeries);
    assert.deepEqual(b.partitions, []);
    assert.equal(b.refCount, 1);
    assert.deepEqual(await collect(noSeries, 'ref'), [
      {
        event_id: { server: 1, session: 2, instance: 1 },
        ref_type: 'latest',
        event_type: ['latest', 'a'],
      },
    ]);
    assert.deepEqual(b.servers.length, 2);
  });

  it('refuses an existing destination and leaves it alone', async (t) => {
    const h = await sample(t);
    await assert.rejects(copyLmdb(h.dbPath, h.dbPath), (e) => isEventumError(e, 'ERR_CONFLICT'));
    assert.ok(existsSync(h.dbPath));
    assert.equal((await inspectLmdb(h.dbPath)).refCount, 4);
  });
});
