import assert from 'node:assert/strict';
import { it } from 'node:test';

import {
  EventerMsgType,
  SbsWriter,
  decodeEventerMsg,
  encodeEvent,
  encodeEventerMsg,
  rememberPayloadEncoding,
} from '@eventum/core';
import type { Event, EventPayload, JsonValue, QueryParams, QueryResult } from '@eventum/core';

import { json, makeEvent } from './events.js';
import { idText, ids, openFixture } from './fixture.js';
import type { BackendStorage, Fixture } from './fixture.js';

/** The byte budget the limit tests give backends: a few of their ~1 KB events per page. */
const BUDGET = 4096;

/** Event `n` (session n of server 1, type t/<n mod types>) with a payload of about 1 KB. */
function sized(n: number, types = 12): Event {
  return makeEvent(1, n, 1, ['t', String(n % types)], {
    payload: json({ n, pad: 'x'.repeat(1000) }),
  });
}

const bytesOf = (events: readonly Event[]): number =>
  events.reduce((sum, e) => sum + encodeEvent(e).length, 0);

/** Pages through `first` → next pages until `moreFollows` is false; checks every page's bytes. */
async function pageAll(
  f: Fixture,
  query: (last: Event | undefined) => QueryParams,
): Promise<string[]> {
  const seen: string[] = [];
  let last: Event | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const result = await f.backend.query(query(last));
    assert.ok(bytesOf(result.events) <= BUDGET, `a page of ${bytesOf(result.events)} bytes`);
    seen.push(...ids(result));
    if (!result.moreFollows) return seen;
    assert.ok(result.events.length > 0, 'a page with moreFollows holds an event');
    last = result.events.at(-1);
  }
  assert.fail('paging did not end');
}

/** Size limits (`BackendContext.maxResultBytes`) and stored bytes passed through. */
export function limitTests(makeStorage: () => Promise<BackendStorage>): void {
  it('bounds timeseries and server pages by bytes; paging returns every event', async () => {
    const f = await openFixture(makeStorage, { maxResultBytes: BUDGET });
    try {
      for (let n = 1; n <= 12; n++) await f.backend.register([sized(n)]);
      const every = Array.from({ length: 12 }, (_, i) => `1/${i + 1}/1`);
      for (const phase of ['staged', 'flushed']) {
        if (phase === 'flushed') await f.backend.flush();
        const ascending = await pageAll(f, (last) => ({
          type: 'timeseries',
          order: 'ascending',
          lastEventId: last?.id ?? null,
        }));
        assert.deepEqual(ascending, every, phase);
        const server = await pageAll(f, (last) => ({
          type: 'server',
          serverId: 1,
          lastEventId: last?.id ?? null,
        }));
        assert.deepEqual(server, every, phase);
      }
    } finally {
      await f.dispose();
    }
  });

  it('cuts a latest result at the byte budget with moreFollows; exact types read the rest', async () => {
    const f = await openFixture(makeStorage, { maxResultBytes: BUDGET });
    try {
      for (let n = 1; n <= 8; n++) await f.backend.register([sized(n, 8)]);
      await f.backend.flush();
      const all = await f.backend.query({ type: 'latest' });
      assert.ok(bytesOf(all.events) <= BUDGET);
      assert.ok(all.events.length > 0 && all.events.length < 8);
      assert.equal(all.moreFollows, true);
      const rest: string[] = [];
      for (let t = 0; t < 8; t++) {
        const one = await f.backend.query({ type: 'latest', eventTypes: [['t', String(t)]] });
        assert.equal(one.moreFollows, false);
        rest.push(...ids(one));
      }
      assert.equal(rest.length, 8);
      assert.ok(ids(all).every((id) => rest.includes(id)));
    } finally {
      await f.dispose();
    }
  });

  it('returns an event larger than the budget alone on its page', async () => {
    const f = await openFixture(makeStorage, { maxResultBytes: BUDGET });
    try {
      const big = makeEvent(1, 1, 1, ['big'], { payload: json('y'.repeat(2 * BUDGET)) });
      await f.backend.register([big]);
      await f.backend.register([sized(2)]);
      await f.backend.flush();
      const page = await f.backend.query({ type: 'timeseries', order: 'ascending' });
      assert.deepEqual(ids(page), ['1/1/1']);
      assert.equal(page.moreFollows, true);
      const server = await f.backend.query({ type: 'server', serverId: 1 });
      assert.deepEqual(ids(server), ['1/1/1']);
      assert.equal(server.moreFollows, true);
      const rest = await f.backend.query({ type: 'server', serverId: 1, lastEventId: big.id });
      assert.deepEqual(ids(rest), ['1/2/1']);
      assert.equal(rest.moreFollows, false);
    } finally {
      await f.dispose();
    }
  });

  it('answers a payload stored deeper than the depth limit (an older version) without failing', async () => {
    const f = await openFixture(makeStorage);
    try {
      const text = `${'['.repeat(2000)}1${']'.repeat(2000)}`;
      await f.backend.register([makeEvent(1, 1, 1, ['deep'], { payload: jsonText(text) })]);
      await f.backend.flush();
      if (f.storage.persistent) await f.reopen();
      const queries: QueryParams[] = [
        { type: 'latest' },
        { type: 'timeseries' },
        { type: 'server', serverId: 1 },
      ];
      for (const params of queries) {
        const events = answered(await f.backend.query(params));
        assert.deepEqual(
          events.map((e) => idText(e.id)),
          ['1/1/1'],
          params.type,
        );
        const payload = events[0]?.payload;
        assert.ok(payload?.type === 'json');
        assert.equal(nesting(payload.data), 2000, params.type);
      }
    } finally {
      await f.dispose();
    }
  });
}

/** How deep `[[…[x]…]]` nests (without recursion: deepEqual would overflow the stack). */
function nesting(data: JsonValue): number {
  let depth = 0;
  for (let v: JsonValue | undefined = data; Array.isArray(v); v = (v as JsonValue[])[0]) depth++;
  return depth;
}

/** A JSON payload that remembers `text` as its encoding, as one decoded from a client does. */
export function jsonText(text: string): EventPayload {
  const payload: EventPayload = { type: 'json', data: JSON.parse(text) as JsonValue };
  const w = new SbsWriter();
  w.writeChoice(1);
  w.writeString(text);
  rememberPayloadEncoding(payload, w.finish());
  return payload;
}

/** What a client receives for `result`: it is encoded as the server answers and decoded. */
function answered(result: QueryResult): readonly Event[] {
  const body = encodeEventerMsg({ type: EventerMsgType.QueryRes, data: result });
  const msg = decodeEventerMsg(EventerMsgType.QueryRes, body);
  assert.ok(msg.type === EventerMsgType.QueryRes);
  return msg.data.events;
}
