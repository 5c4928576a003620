import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createMemoryBackend } from '@eventum/core';
import type { Backend, Event, EventType, QueryTimeseriesParams, Timestamp } from '@eventum/core';

import { idsOf, lmdbHarness } from './testing/harness.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES: EventType[] = [['a', 'x'], ['a', 'y'], ['b'], ['c', 'd', 'e']];
const QUERY_TYPES: (EventType[] | null)[] = [
  null,
  [['a', '*']],
  [['b'], ['c', '*']],
  [['?', 'x']],
  [],
];

function randomSession(rnd: () => number, session: number): Event[] {
  const size = 1 + Math.floor(rnd() * 6);
  return Array.from({ length: size }, (_, i) => ({
    id: { server: 1, session, instance: i + 1 },
    type: TYPES[Math.floor(rnd() * TYPES.length)] as EventType,
    timestamp: { s: 1000 + session, us: 0 },
    sourceTimestamp:
      rnd() < 0.2 ? null : { s: 1000 + Math.floor(rnd() * 40), us: Math.floor(rnd() * 3) },
    payload: rnd() < 0.5 ? null : { type: 'json', data: session },
  }));
}

function randomQuery(rnd: () => number): QueryTimeseriesParams {
  const bound = (): Timestamp | null =>
    rnd() < 0.6 ? null : { s: 1000 + Math.floor(rnd() * 40), us: 0 };
  return {
    type: 'timeseries',
    order: rnd() < 0.5 ? 'ascending' : 'descending',
    orderBy: rnd() < 0.5 ? 'timestamp' : 'sourceTimestamp',
    eventTypes: QUERY_TYPES[Math.floor(rnd() * QUERY_TYPES.length)] ?? null,
    tFrom: bound(),
    tTo: bound(),
    sourceTFrom: bound(),
    sourceTTo: bound(),
    maxResults: 1 + Math.floor(rnd() * 8),
  };
}

/** Pages through `params` on `backend` with the sentinel (and, half the time, the narrowed bound). */
async function pages(
  backend: Backend,
  params: QueryTimeseriesParams,
  narrow: boolean,
): Promise<string[]> {
  const out: string[] = [];
  let current = params;
  for (let guard = 0; guard < 200; guard++) {
    const page = await backend.query(current);
    out.push(...idsOf(page.events));
    const last = page.events[page.events.length - 1];
    if (!page.moreFollows || last === undefined) return out;
    current = { ...current, lastEventId: last.id };
    if (narrow) {
      const key = current.orderBy === 'sourceTimestamp' ? 'source' : 't';
      const time = key === 'source' ? last.sourceTimestamp : last.timestamp;
      const side = current.order === 'ascending' ? 'From' : 'To';
      current = { ...current, [`${key === 'source' ? 'sourceT' : 't'}${side}`]: time };
    }
  }
  throw new Error('paging did not end');
}

describe('lmdb backend: same answers as the memory backend', () => {
  for (const seed of [1, 2, 3]) {
    it(`agrees on random registrations, flushes and queries (seed ${seed})`, async (t) => {
      const rnd = random(seed);
      const h = await lmdbHarness(t, {
        timeseries_max_results: 8,
        timeseries: [
          { order_by: 'TIMESTAMP', subscriptions: [['*']] },
          { order_by: 'TIMESTAMP', subscriptions: [['a', '*']] },
          { order_by: 'SOURCE_TIMESTAMP', subscriptions: [['a', '*'], ['b']] },
          { order_by: 'SOURCE_TIMESTAMP', subscriptions: [['c', '*']] },
        ],
      });
      const { backend } = await h.open();
      const memory = await createMemoryBackend({ maxResults: 8 });
      t.after(() => memory.close());
      for (let session = 1; session <= 30; session++) {
        const events = randomSession(rnd, session);
        await backend.register(events);
        await memory.register(events);
        if (rnd() < 0.3) await backend.flush();
        for (let q = 0; q < 3; q++) {
          const params = randomQuery(rnd);
          const narrow = rnd() < 0.5;
          const label = JSON.stringify({ session, params, narrow });
          assert.deepEqual(
            await pages(backend, params, narrow),
            await pages(memory, params, narrow),
            label,
          );
        }
      }
      const latest = (b: Backend) =>
        b.query({ type: 'latest' }).then((r) => idsOf(r.events).sort());
      assert.deepEqual(await latest(backend), await latest(memory));
      const server = await backend.query({ type: 'server', serverId: 1, maxResults: 8 });
      assert.deepEqual(
        idsOf(server.events),
        idsOf((await memory.query({ type: 'server', serverId: 1, maxResults: 8 })).events),
      );
    });
  }
});
