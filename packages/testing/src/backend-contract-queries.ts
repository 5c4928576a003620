import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { Event, EventId, QueryTimeseriesParams } from '@eventum/core';

import { ids, idText, openFixture } from './fixture.js';
import type { BackendStorage, Fixture } from './fixture.js';
import { session } from './events.js';

/** Six sessions of server 1: types a/1, a/2, b alternate; source timestamps run backwards. */
async function seeded(makeStorage: () => Promise<BackendStorage>): Promise<Fixture> {
  const f = await openFixture(makeStorage);
  for (let s = 1; s <= 6; s++) {
    await f.backend.register(session(1, s, [['a', String(s % 2)], ['b']]));
  }
  return f;
}

const all = (f: Fixture, params: Omit<QueryTimeseriesParams, 'type'> = {}) =>
  f.backend.query({ type: 'timeseries', ...params });

export function timeseriesTests(makeStorage: () => Promise<BackendStorage>): void {
  let f: Fixture;
  before(async () => {
    f = await seeded(makeStorage);
  });
  after(() => f.dispose());

  it('orders by timestamp descending by default, natural order within a timestamp', async () => {
    const result = await all(f);
    assert.equal(result.events.length, 12);
    assert.deepEqual(ids(result).slice(0, 4), ['1/6/2', '1/6/1', '1/5/2', '1/5/1']);
    assert.equal(result.moreFollows, false);
  });

  it('orders ascending when asked', async () => {
    const result = await all(f, { order: 'ascending' });
    assert.deepEqual(ids(result).slice(0, 3), ['1/1/1', '1/1/2', '1/2/1']);
  });

  it('orders by source timestamp (which runs backwards here)', async () => {
    const result = await all(f, { orderBy: 'sourceTimestamp', order: 'ascending' });
    assert.deepEqual(ids(result).slice(0, 3), ['1/6/2', '1/6/1', '1/5/2']);
  });

  it('treats time bounds as inclusive', async () => {
    const t = (s: number) => ({ s: 1_700_000_000 + s, us: 0 });
    const result = await all(f, { tFrom: t(2), tTo: t(3), order: 'ascending' });
    assert.deepEqual(ids(result), ['1/2/1', '1/2/2', '1/3/1', '1/3/2']);
    const source = await all(f, {
      sourceTFrom: { s: 1_600_000_000 - 31, us: 500 },
      sourceTTo: { s: 1_600_000_000 - 20, us: 500 },
      order: 'ascending',
    });
    assert.deepEqual(ids(source), ['1/2/1', '1/2/2', '1/3/1', '1/3/2']);
  });

  it('filters by event types', async () => {
    const result = await all(f, { eventTypes: [['a', '1']], order: 'ascending' });
    assert.deepEqual(ids(result), ['1/1/1', '1/3/1', '1/5/1']);
  });

  it('limits pages with maxResults and says more follows', async () => {
    const result = await all(f, { maxResults: 5 });
    assert.equal(result.events.length, 5);
    assert.equal(result.moreFollows, true);
    const exact = await all(f, { maxResults: 12 });
    assert.equal(exact.moreFollows, false);
  });

  it('pages with lastEventId to exactly the unpaged result, in both orders', async () => {
    for (const order of ['ascending', 'descending'] as const) {
      const whole = ids(await all(f, { order }));
      const paged: string[] = [];
      let lastEventId: EventId | null = null;
      for (;;) {
        const page = await all(f, { order, maxResults: 5, lastEventId });
        paged.push(...ids(page));
        if (!page.moreFollows) break;
        lastEventId = page.events[page.events.length - 1]!.id;
      }
      assert.deepEqual(paged, whole);
    }
  });

  it('returns nothing after a lastEventId it does not hold', async () => {
    const result = await all(f, { lastEventId: { server: 9, session: 9, instance: 9 } });
    assert.deepEqual(result, { events: [], moreFollows: false });
  });

  it('never returns more than its configured cap', async () => {
    const result = await all(f, { maxResults: f.storage.maxResults + 100 });
    assert.ok(result.events.length <= f.storage.maxResults);
  });

  it('answers the same before and after a flush', async () => {
    const before = await all(f, { order: 'ascending' });
    await f.backend.flush();
    assert.deepEqual(await all(f, { order: 'ascending' }), before);
  });
}

export function serverQueryTests(makeStorage: () => Promise<BackendStorage>): void {
  let f: Fixture;
  before(async () => {
    f = await seeded(makeStorage);
    await f.backend.register(session(2, 1, [['other']]));
    await f.backend.flush();
  });
  after(() => f.dispose());

  it('returns one server’s events in ascending id order', async () => {
    const result = await f.backend.query({ type: 'server', serverId: 1 });
    assert.equal(result.events.length, 12);
    assert.deepEqual(ids(result).slice(0, 3), ['1/1/1', '1/1/2', '1/2/1']);
    assert.deepEqual(ids(await f.backend.query({ type: 'server', serverId: 2 })), ['2/1/1']);
  });

  it('starts strictly after lastEventId and pages with maxResults', async () => {
    const lastEventId = { server: 1, session: 2, instance: 1 };
    const page = await f.backend.query({ type: 'server', serverId: 1, lastEventId, maxResults: 3 });
    assert.deepEqual(ids(page), ['1/2/2', '1/3/1', '1/3/2']);
    assert.equal(page.moreFollows, true);
  });

  it('returns flushed events to persisted queries', async () => {
    const result = await f.backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.equal(result.events.length, 12);
  });

  it('rejects a lastEventId of another server with ERR_INVALID_ARGUMENT', async () => {
    const lastEventId = { server: 2, session: 1, instance: 1 };
    await assert.rejects(f.backend.query({ type: 'server', serverId: 1, lastEventId }), (e) =>
      isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
  });
}

export function lifecycleTests(makeStorage: () => Promise<BackendStorage>): void {
  it('keeps every flushed event across close and reopen (persistent backends)', async (t) => {
    const f = await openFixture(makeStorage);
    try {
      if (!f.storage.persistent) return t.skip('not a persistent backend');
      const events: Event[] = [];
      for (let s = 1; s <= 3; s++) events.push(...session(1, s, [['a'], ['b', String(s)]]));
      await f.backend.register(events);
      const latest = ids(await f.backend.query({ type: 'latest' })).sort();
      await f.reopen();
      assert.deepEqual(await f.backend.getLastEventId(1), events[events.length - 1]?.id);
      assert.deepEqual(ids(await f.backend.query({ type: 'latest' })).sort(), latest);
      const series = await f.backend.query({ type: 'timeseries', order: 'ascending' });
      assert.deepEqual(
        ids(series),
        events.map((e) => idText(e.id)),
      );
      const server = await f.backend.query({ type: 'server', serverId: 1, persisted: true });
      assert.equal(server.events.length, events.length);
    } finally {
      await f.dispose();
    }
  });

  it('keeps a reserved session ceiling durably, per server (persistent backends)', async (t) => {
    const f = await openFixture(makeStorage);
    try {
      if (!f.storage.persistent) return t.skip('not a persistent backend');
      assert.equal(typeof f.backend.reserveSessions, 'function');
      assert.equal(typeof f.backend.getReservedSession, 'function');
      assert.equal(await f.backend.getReservedSession?.(1), 0);
      await f.backend.reserveSessions?.(1, 10_000);
      await f.backend.reserveSessions?.(2, 7);
      // Lowering is allowed: a clean shutdown gives back what it did not use.
      await f.backend.reserveSessions?.(1, 42);
      await f.reopen();
      assert.equal(await f.backend.getReservedSession?.(1), 42);
      assert.equal(await f.backend.getReservedSession?.(2), 7);
      assert.equal(await f.backend.getReservedSession?.(3), 0);
    } finally {
      await f.dispose();
    }
  });

  it('rejects registration after close with ERR_CLOSED, and close is idempotent', async () => {
    const f = await openFixture(makeStorage);
    try {
      await f.backend.close();
      await f.backend.close();
      assert.equal(f.backend.isClosed, true);
      assert.equal(await f.backend.closed, undefined);
      await assert.rejects(f.backend.register(session(1, 1, [['a']])), (e) =>
        isEventumError(e, 'ERR_CLOSED'),
      );
    } finally {
      await f.dispose();
    }
  });
}
