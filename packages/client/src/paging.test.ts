import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { ProtocolError, createMemoryBackend } from '@eventum/core';
import type {
  Backend,
  Event,
  Order,
  OrderBy,
  QueryParams,
  QueryResult,
  QueryTimeseriesParams,
} from '@eventum/core';
import { session } from '@eventum/testing';

import { queryAll, queryPages, queryServerPages } from './paging.js';

/** A memory backend holding 3 sessions of 4 events on each of servers 1 and 2. */
async function backendWithEvents(t: TestContext): Promise<Backend> {
  const backend = await createMemoryBackend();
  t.after(() => backend.close());
  const types = [
    ['a', '1'],
    ['a', '2'],
    ['b', '1'],
    ['a', '3'],
  ];
  for (let s = 1; s <= 3; s++) {
    await backend.register(session(1, s, types));
    await backend.register(session(2, s, types));
  }
  return backend;
}

/** Wraps `backend.query`, recording every params it was called with. */
function spy(backend: Backend): {
  calls: QueryParams[];
  query: (p: QueryParams) => Promise<QueryResult>;
} {
  const calls: QueryParams[] = [];
  return { calls, query: (params) => (calls.push(params), backend.query(params)) };
}

async function collect(pages: AsyncIterable<readonly Event[]>): Promise<Event[][]> {
  const out: Event[][] = [];
  for await (const page of pages) out.push([...page]);
  return out;
}

describe('queryPages', () => {
  const cases: [Order, OrderBy][] = [
    ['descending', 'timestamp'],
    ['ascending', 'timestamp'],
    ['descending', 'sourceTimestamp'],
    ['ascending', 'sourceTimestamp'],
  ];
  for (const [order, orderBy] of cases) {
    it(`concatenates pages to the full result (${order} by ${orderBy})`, async (t) => {
      const backend = await backendWithEvents(t);
      const params: QueryTimeseriesParams = {
        type: 'timeseries',
        order,
        orderBy,
        eventTypes: [['a', '*']],
      };
      const full = await backend.query(params);
      assert.equal(full.moreFollows, false);
      assert.equal(full.events.length, 18);
      const { calls, query } = spy(backend);
      const pages = await collect(queryPages(query, { ...params, maxResults: 4 }));
      assert.deepEqual(pages.flat(), full.events);
      assert.deepEqual(
        pages.map((p) => p.length),
        [4, 4, 4, 4, 2],
      );
      assert.equal(calls.length, 5);
    });
  }

  it('narrows the bound to the last key and sets lastEventId (descending by timestamp)', async (t) => {
    const backend = await backendWithEvents(t);
    const { calls, query } = spy(backend);
    const params: QueryTimeseriesParams = {
      type: 'timeseries',
      maxResults: 5,
      tFrom: { s: 0, us: 0 },
    };
    const pages = await collect(queryPages(query, params));
    const last = pages[0]?.at(-1);
    assert.ok(last !== undefined);
    assert.deepEqual(calls[1], { ...params, lastEventId: last.id, tTo: last.timestamp });
  });

  it('narrows sourceTFrom when ascending by source timestamp', async (t) => {
    const backend = await backendWithEvents(t);
    const { calls, query } = spy(backend);
    const params: QueryTimeseriesParams = {
      type: 'timeseries',
      order: 'ascending',
      orderBy: 'sourceTimestamp',
      maxResults: 5,
    };
    const pages = await collect(queryPages(query, params));
    const last = pages[0]?.at(-1);
    assert.ok(last !== undefined);
    assert.deepEqual(calls[1], {
      ...params,
      lastEventId: last.id,
      sourceTFrom: last.sourceTimestamp,
    });
  });

  it('stops on an empty page even when the server claims more follow', async () => {
    const query = (): Promise<QueryResult> => Promise.resolve({ events: [], moreFollows: true });
    assert.deepEqual(await collect(queryPages(query, { type: 'timeseries' })), []);
  });

  it('fails with ERR_PROTOCOL when the server ignores lastEventId', async (t) => {
    const backend = await backendWithEvents(t);
    const stuck = (): Promise<QueryResult> => backend.query({ type: 'timeseries', maxResults: 2 });
    await assert.rejects(collect(queryPages(stuck, { type: 'timeseries' })), ProtocolError);
  });
});

describe('queryServerPages', () => {
  it('pages a server query strictly after each last event id', async (t) => {
    const backend = await backendWithEvents(t);
    const { calls, query } = spy(backend);
    const pages = await collect(
      queryServerPages(query, { type: 'server', serverId: 2, maxResults: 5 }),
    );
    const full = await backend.query({ type: 'server', serverId: 2 });
    assert.deepEqual(pages.flat(), full.events);
    assert.deepEqual(calls[1], {
      type: 'server',
      serverId: 2,
      maxResults: 5,
      lastEventId: pages[0]?.at(-1)?.id,
    });
  });
});

describe('queryAll', () => {
  it('collects every page of a query source object', async (t) => {
    const backend = await backendWithEvents(t);
    const all = await queryAll(backend, { type: 'timeseries', maxResults: 7 });
    assert.deepEqual(all, await backend.query({ type: 'timeseries' }));
  });

  it('stops at maxEvents and reports moreFollows', async (t) => {
    const backend = await backendWithEvents(t);
    const all = await queryAll(
      backend,
      { type: 'server', serverId: 1, maxResults: 3 },
      { maxEvents: 5 },
    );
    assert.equal(all.events.length, 5);
    assert.equal(all.moreFollows, true);
  });

  it('answers latest queries with a single query', async (t) => {
    const backend = await backendWithEvents(t);
    const { calls, query } = spy(backend);
    const latest = await queryAll(query, { type: 'latest' });
    assert.equal(latest.events.length, 4);
    assert.equal(calls.length, 1);
  });
});
