import assert from 'node:assert/strict';
import { setImmediate } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { EventerMsgType, encodeEvent, encodeEventerMsg, resultEncoding } from '@eventum/core';
import type { Backend, Event, QueryResult, QueryTimeseriesParams } from '@eventum/core';
import { json, makeEvent, session } from '@eventum/testing';

import { readStats } from './sources.js';
import { idsOf, lmdbHarness } from './testing/harness.js';

/** `count` sessions of `perSession` events of server 1, types cycling over `types`. */
async function registerSessions(
  backend: Backend,
  count: number,
  perSession: number,
  types = [['a'], ['b']],
): Promise<Event[]> {
  const all: Event[] = [];
  for (let s = 1; s <= count; s++) {
    const events = session(
      1,
      s,
      Array.from({ length: perSession }, (_, i) => types[i % types.length] ?? ['a']),
    );
    await backend.register(events);
    all.push(...events);
  }
  return all;
}

/** Pages like the client does: sentinel plus the time bound narrowed to the last event. */
async function pageThrough(
  backend: Backend,
  params: QueryTimeseriesParams,
  perPage: (reads: number) => void,
): Promise<string[]> {
  const out: string[] = [];
  let current: QueryTimeseriesParams = params;
  for (;;) {
    const before = readStats.timeseriesEntries;
    const page = await backend.query(current);
    perPage(readStats.timeseriesEntries - before);
    out.push(...idsOf(page.events));
    const last = page.events[page.events.length - 1];
    if (!page.moreFollows || last === undefined) return out;
    const bound =
      current.order === 'ascending' ? { tFrom: last.timestamp } : { tTo: last.timestamp };
    current = { ...current, lastEventId: last.id, ...bound };
  }
}

describe('lmdb backend: queries', () => {
  it('sees every event while a flush is being written, and no duplicates after', async (t) => {
    const h = await lmdbHarness(t, { flush_period: 3600, timeseries_max_results: 10_000 });
    const { backend } = await h.open();
    const events = await registerSessions(backend, 40, 100);
    let settled = false;
    const flushing = backend.flush().then(() => {
      settled = true;
    });
    let checks = 0;
    do {
      const series = await backend.query({ type: 'timeseries', order: 'ascending' });
      assert.deepEqual(idsOf(series.events), idsOf(events));
      const server = await backend.query({ type: 'server', serverId: 1 });
      assert.equal(server.events.length, events.length);
      checks++;
      await setImmediate();
    } while (!settled);
    await flushing;
    assert.ok(checks > 0);
    const after = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(after.events), idsOf(events));
    const persisted = await backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.equal(persisted.events.length, events.length);
  });

  it('merges staged and stored events in key order, whatever the registration order', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open();
    const source = (s: number) => ({ sourceTimestamp: { s, us: 0 } });
    await backend.register([
      makeEvent(1, 1, 1, ['a'], source(50)),
      makeEvent(1, 1, 2, ['a'], source(10)),
    ]);
    await backend.flush();
    await backend.register([
      makeEvent(1, 2, 1, ['a'], source(30)),
      makeEvent(1, 2, 2, ['a'], source(5)),
    ]);
    await backend.register([makeEvent(2, 1, 1, ['a'], { timestamp: { s: 1_700_000_001, us: 5 } })]);
    const bySource = await backend.query({
      type: 'timeseries',
      orderBy: 'sourceTimestamp',
      order: 'ascending',
    });
    assert.deepEqual(idsOf(bySource.events), ['1/2/2', '1/1/2', '1/2/1', '1/1/1']);
    const byTime = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(byTime.events), ['1/1/1', '1/1/2', '2/1/1', '1/2/1', '1/2/2']);
  });

  it('reads O(page) entries per page when paging with a narrowed bound, both ways', async (t) => {
    const h = await lmdbHarness(t, { timeseries_max_results: 50 });
    const { backend } = await h.open();
    const events = await registerSessions(backend, 20, 100);
    await backend.flush();
    for (const order of ['ascending', 'descending'] as const) {
      const reads: number[] = [];
      const ids = await pageThrough(backend, { type: 'timeseries', order }, (n) => reads.push(n));
      const expected = idsOf(events);
      assert.deepEqual(ids, order === 'ascending' ? expected : expected.reverse());
      assert.equal(reads.length, 40);
      assert.ok(Math.max(...reads) <= 51, `reads per page: ${Math.max(...reads)}`);
    }
  });

  it('finds the sentinel without a time bound and seeks past it', async (t) => {
    const h = await lmdbHarness(t, { timeseries_max_results: 50 });
    const { backend } = await h.open();
    await registerSessions(backend, 10, 100);
    await backend.flush();
    const before = readStats.timeseriesEntries;
    const lastEventId = { server: 1, session: 9, instance: 50 };
    const page = await backend.query({
      type: 'timeseries',
      order: 'ascending',
      lastEventId,
      maxResults: 10,
    });
    assert.deepEqual(idsOf(page.events).slice(0, 2), ['1/9/51', '1/9/52']);
    assert.ok(readStats.timeseriesEntries - before <= 11);
  });

  it('pages through staged events and filtered types the same way', async (t) => {
    const h = await lmdbHarness(t, { timeseries_max_results: 7 });
    const { backend } = await h.open();
    const events = await registerSessions(backend, 3, 10, [['a'], ['b'], ['c']]);
    await backend.flush();
    const more = await registerSessions(backend, 0, 0);
    assert.deepEqual(more, []);
    await backend.register(session(1, 4, [['a'], ['b']]));
    const expected = [...events, ...session(1, 4, [['a'], ['b']])].filter((e) => e.type[0] !== 'c');
    const ids = await pageThrough(
      backend,
      { type: 'timeseries', order: 'ascending', eventTypes: [['a'], ['b']] },
      () => undefined,
    );
    assert.deepEqual(ids, idsOf(expected));
  });

  it('returns nothing after a sentinel the chosen partitions do not hold', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open();
    await registerSessions(backend, 2, 3);
    const missing = await backend.query({
      type: 'timeseries',
      lastEventId: { server: 1, session: 9, instance: 1 },
    });
    assert.deepEqual(missing, { events: [], moreFollows: false });
  });

  it('answers with the stored bytes, and decodes events only when they are read', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open();
    const stored = session(1, 1, [['a'], ['c']]);
    await backend.register(stored);
    await backend.close();
    // Reopened with a condition the stored ['c'] event (an object payload) now fails.
    const { backend: reopened } = await h.open({
      conditions: [{ subscriptions: [['c']], condition: { type: 'json', data_type: 'number' } }],
    });
    const staged = [makeEvent(1, 2, 1, ['c'], { payload: json(7) })];
    await reopened.register(staged);
    const page = await reopened.query({ type: 'timeseries', order: 'ascending' });
    const expected = [stored[0] as Event, ...staged];
    const encoded = resultEncoding(page);
    const bytes = expected.map((event) => encodeEvent(event).slice());
    assert.deepEqual(encoded?.bytes, new Uint8Array(Buffer.concat(bytes)));
    assert.deepEqual(encoded?.ends, [
      bytes[0]?.length,
      (bytes[0]?.length ?? 0) + (bytes[1]?.length ?? 0),
    ]);
    assert.deepEqual(answer(page), answer({ events: expected, moreFollows: false }));
    assert.deepEqual(page, { events: expected, moreFollows: false });
    assert.equal(page.events, page.events, 'decoded once');
  });

  it('assembles pages larger than its scratch buffer, one after another', async (t) => {
    const h = await lmdbHarness(t, { timeseries_max_results: 100 });
    const { backend } = await h.open();
    // 150 events of ~10 KB: pages of 100 take ~1 MB, four times the first scratch buffer.
    const big = 'x'.repeat(10_000);
    const events = Array.from({ length: 150 }, (_, i) =>
      makeEvent(1, 1, i + 1, ['big'], { payload: json({ i, big }) }),
    );
    await backend.register(events);
    await backend.flush();
    const first = await backend.query({ type: 'timeseries', order: 'ascending' });
    const last = events[99] as Event;
    const second = await backend.query({
      type: 'timeseries',
      order: 'ascending',
      lastEventId: last.id,
    });
    assert.equal(first.moreFollows, true);
    assert.deepEqual(answer(first), answer({ events: events.slice(0, 100), moreFollows: true }));
    assert.deepEqual(answer(second), answer({ events: events.slice(100), moreFollows: false }));
    assert.deepEqual(first.events, events.slice(0, 100));
  });
});

/** The QueryRes body a server sends for `result`. */
function answer(result: QueryResult): Uint8Array {
  return encodeEventerMsg({ type: EventerMsgType.QueryRes, data: result });
}
