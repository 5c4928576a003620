import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { createMemoryBackend } from '@eventum/core';
import type { Backend, Event, EventId, QueryTimeseriesParams } from '@eventum/core';
import { json, makeEvent } from '@eventum/testing';

import { STATE_FILE } from './state.js';
import { parseCounter } from './store.js';
import { idsOf, textlogHarness } from './testing/harness.js';

const SPAN = 60;
const BASE = 1_000_020; // a multiple of SPAN

/** Event `server/session/instance` at second `s`, source timestamp `source` (or none). */
const ev = (server: number, session: number, instance: number, s: number, source?: number) =>
  makeEvent(server, session, instance, ['t', String(server)], {
    timestamp: { s, us: 0 },
    sourceTimestamp: source === undefined ? null : { s: source, us: instance },
    payload: json(`${server}/${session}/${instance}`),
  });

/** Every page of `params` (`maxResults` per page), chained by `lastEventId`. */
async function pages(backend: Backend, params: Omit<QueryTimeseriesParams, 'type'>) {
  const out: Event[] = [];
  let lastEventId: EventId | null = null;
  for (;;) {
    const page = await backend.query({ type: 'timeseries', ...params, lastEventId });
    out.push(...page.events);
    if (!page.moreFollows) return out;
    lastEventId = page.events.at(-1)!.id;
  }
}

/** Parsed span files during `run`. */
async function parsing<T>(run: () => Promise<T>): Promise<[T, number]> {
  const before = parseCounter.files;
  const result = await run();
  return [result, parseCounter.files - before];
}

describe('textlog queries: span stats', () => {
  it('server queries read only the spans holding later events of the server', async (t) => {
    const h = await textlogHarness(t, { span: SPAN, max_results: 100 });
    const first = await h.open({ flush_period: 0 });
    // Server 1: 3 events in each of 10 spans; server 2: one event in span 0 and one in span 9.
    const events: Event[] = [];
    for (let k = 0; k < 10; k++) {
      for (let i = 1; i <= 3; i++) events.push(ev(1, k + 1, i, BASE + k * SPAN + i));
    }
    await first.backend.register(events);
    await first.backend.register([ev(2, 1, 1, BASE + 5), ev(2, 1, 2, BASE + 9 * SPAN + 5)]);
    await first.backend.close();

    for (const dropStats of [false, true]) {
      if (dropStats) {
        // A state file without stats (older version): rebuilt from the span files at start-up.
        const file = JSON.parse(await readFile(join(h.dir, STATE_FILE), 'utf8')) as {
          stats?: unknown;
        };
        delete file.stats;
        await writeFile(join(h.dir, STATE_FILE), JSON.stringify(file));
      }
      const { backend } = await h.open();
      const [late, lateReads] = await parsing(() =>
        backend.query({
          type: 'server',
          serverId: 1,
          lastEventId: { server: 1, session: 8, instance: 3 },
        }),
      );
      assert.deepEqual(idsOf(late.events), [
        '1/9/1',
        '1/9/2',
        '1/9/3',
        '1/10/1',
        '1/10/2',
        '1/10/3',
      ]);
      assert.equal(lateReads, 2, 'only spans 8 and 9 are parsed');
      const [paged, pagedReads] = await parsing(() =>
        backend.query({
          type: 'server',
          serverId: 1,
          lastEventId: { server: 1, session: 3, instance: 2 },
          maxResults: 4,
        }),
      );
      assert.deepEqual(idsOf(paged.events), ['1/3/3', '1/4/1', '1/4/2', '1/4/3']);
      assert.equal(paged.moreFollows, true);
      // Spans 2 and 3 fill the page; span 4 shows that more follow.
      assert.equal(pagedReads, 3);
      const [two, twoReads] = await parsing(() =>
        backend.query({ type: 'server', serverId: 2, maxResults: 1 }),
      );
      assert.deepEqual(idsOf(two.events), ['2/1/1']);
      assert.equal(two.moreFollows, true);
      assert.equal(twoReads, 1, 'span 0 (span 9 is cached already)');
      const [none, noneReads] = await parsing(() => backend.query({ type: 'server', serverId: 3 }));
      assert.deepEqual(none.events, []);
      assert.equal(noneReads, 0);
      await backend.close();
    }
  });

  it('server queries see unflushed events and skip deleted ones', async (t) => {
    const h = await textlogHarness(t, { span: SPAN });
    const { backend } = await h.open();
    await backend.register([ev(1, 1, 1, BASE), ev(1, 1, 2, BASE + SPAN)]);
    await backend.flush();
    await backend.register([ev(1, 2, 1, BASE + 3 * SPAN)]);
    const after = { server: 1, session: 1, instance: 2 };
    const pending = await backend.query({ type: 'server', serverId: 1, lastEventId: after });
    assert.deepEqual(idsOf(pending.events), ['1/2/1']);
    const persisted = await backend.query({
      type: 'server',
      serverId: 1,
      lastEventId: after,
      persisted: true,
    });
    assert.deepEqual(persisted.events, []);
    assert.equal(await backend.deleteEvent({ server: 1, session: 2, instance: 1 }), true);
    assert.equal(await backend.deleteEvent({ server: 1, session: 1, instance: 1 }), true);
    const all = await backend.query({ type: 'server', serverId: 1 });
    assert.deepEqual(idsOf(all.events), ['1/1/2']);
    const later = await backend.query({ type: 'server', serverId: 1, lastEventId: after });
    assert.deepEqual(later.events, []);
  });

  it('source-timestamp queries equal the memory backend when source time runs backwards', async (t) => {
    const h = await textlogHarness(t, { span: SPAN, max_results: 1000 });
    const first = await h.open({ flush_period: 0 });
    const memory = await createMemoryBackend({ maxResults: 1000 });
    t.after(() => memory.close());
    // 8 spans, 3 events of server 1 each (sources run backwards with overlaps between
    // neighbouring spans), every other span with a server-2 event and one without a source.
    const events: Event[] = [];
    for (let k = 0; k < 8; k++) {
      const s = BASE + k * SPAN;
      events.push(ev(1, k + 1, 1, s + 1, 5000 - k * 20));
      events.push(ev(1, k + 1, 2, s + 2, 5000 - k * 20 - 25));
      events.push(ev(1, k + 1, 3, s + 3, k % 3 === 0 ? undefined : 5000 - k * 20 + 7));
      if (k % 2 === 0) events.push(ev(2, k + 1, 1, s + 4, 5000 - k * 20 - 3));
    }
    // Register server by server (each keeps its own order), so both backends see the same.
    const one = events.filter((e) => e.id.server === 1);
    const two = events.filter((e) => e.id.server === 2);
    for (const batch of [one, two]) {
      await first.backend.register(batch);
      await memory.register(batch);
    }
    await first.backend.close();
    const { backend } = await h.open();
    // Unflushed events take part too.
    const pending = [ev(1, 20, 1, BASE + 8 * SPAN, 4000), ev(1, 20, 2, BASE + 8 * SPAN + 1, 6000)];
    await backend.register(pending);
    await memory.register(pending);
    const cases: Omit<QueryTimeseriesParams, 'type'>[] = [];
    for (const order of ['ascending', 'descending'] as const) {
      for (const maxResults of [1, 4, 7]) {
        cases.push({ orderBy: 'sourceTimestamp', order, maxResults });
      }
      cases.push({
        orderBy: 'sourceTimestamp',
        order,
        maxResults: 3,
        tFrom: { s: BASE + 2 * SPAN, us: 0 },
        tTo: { s: BASE + 6 * SPAN, us: 0 },
        sourceTFrom: { s: 4880, us: 0 },
        eventTypes: [['t', '1']],
      });
    }
    for (const params of cases) {
      const expected = await pages(memory, params);
      assert.ok(expected.length > 0);
      assert.deepEqual(
        idsOf(await pages(backend, params)),
        idsOf(expected),
        JSON.stringify(params),
      );
    }
  });

  it('source-timestamp pages open only the spans they need', async (t) => {
    const h = await textlogHarness(t, { span: SPAN });
    const first = await h.open({ flush_period: 0 });
    // 10 spans, source time runs backwards and the spans' source ranges do not overlap.
    const events: Event[] = [];
    for (let k = 0; k < 10; k++) {
      for (let i = 1; i <= 3; i++)
        events.push(ev(1, k + 1, i, BASE + k * SPAN + i, 9000 - k * 100 + i));
    }
    await first.backend.register(events);
    await first.backend.close();
    const { backend } = await h.open();
    const [asc, ascReads] = await parsing(() =>
      backend.query({
        type: 'timeseries',
        orderBy: 'sourceTimestamp',
        order: 'ascending',
        maxResults: 2,
      }),
    );
    assert.deepEqual(idsOf(asc.events), ['1/10/1', '1/10/2']);
    assert.equal(asc.moreFollows, true);
    assert.equal(ascReads, 1);
    const [desc, descReads] = await parsing(() =>
      backend.query({
        type: 'timeseries',
        orderBy: 'sourceTimestamp',
        order: 'descending',
        maxResults: 4,
      }),
    );
    assert.deepEqual(idsOf(desc.events), ['1/1/3', '1/1/2', '1/1/1', '1/2/3']);
    assert.equal(descReads, 2);
  });
});

describe('textlog queries: large spans', () => {
  it('answers a server query over a span holding 200,000 events of one server', async (t) => {
    const h = await textlogHarness(t, { span: SPAN, max_results: 1000 });
    const { backend } = await h.open({ flush_period: 0 });
    for (let session = 1; session <= 200; session++) {
      const batch = Array.from({ length: 1000 }, (_, i) => ev(1, session, i + 1, BASE + 1));
      await backend.register(batch);
    }
    const page = await backend.query({ type: 'server', serverId: 1 });
    assert.equal(page.events.length, 1000);
    assert.equal(page.moreFollows, true);
    assert.deepEqual(idsOf(page.events.slice(0, 2)), ['1/1/1', '1/1/2']);
  });
});
