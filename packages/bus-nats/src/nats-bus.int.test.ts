import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Bus } from '@eventum/core';
import {
  busContract,
  nothingMore,
  requireService,
  takeEvents,
  testNatsUrl,
  uniqueRoot,
  waitFor,
} from '@eventum/testing';
import { connect, headers } from '@nats-io/transport-node';

import { createNatsBus } from './nats-bus.js';

let skip: string | false = false;
const available = await requireService('NATS', testNatsUrl, (reason) => (skip = reason));

describe('NATS core transport', { skip }, () => {
  busContract('nats', (options) => createNatsBus({ ...options, servers: testNatsUrl }));

  let publisher: Bus;
  let subscriber: Bus;
  before(async () => {
    if (!available) return;
    publisher = await createNatsBus({ servers: testNatsUrl, echo: false });
    subscriber = await createNatsBus({ servers: testNatsUrl });
  });
  after(async () => {
    await publisher?.close();
    await subscriber?.close();
  });

  it('carries the envelope in the body, traceparent as a header (wire version 2)', async (t) => {
    const root = uniqueRoot();
    const raw = await connect({ servers: testNatsUrl });
    t.after(() => raw.close());
    const rawSub = raw.subscribe(`${root}.>`, { max: 2 });
    await raw.flush();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    publisher.publish(`${root}.a`, { x: 1 }, { type: 'kind', traceparent });
    publisher.publish(`${root}.b`, { y: 2 });
    const seen: unknown[] = [];
    for await (const msg of rawSub) {
      const body = msg.json<Record<string, unknown>>();
      seen.push([Object.keys(body), body['v'], body['type'], body['payload']]);
      seen.push(msg.headers?.get('traceparent') ?? msg.headers);
    }
    assert.deepEqual(seen, [
      [['v', 'id', 'type', 'ms', 'payload'], 2, 'kind', { x: 1 }],
      traceparent,
      [['v', 'id', 'ms', 'payload'], 2, undefined, { y: 2 }],
      undefined,
    ]);
  });

  it('reads version 1 messages (envelope in the body, fields in headers)', async (t) => {
    const root = uniqueRoot();
    const sub = subscriber.subscribe(`${root}.>`);
    await sub.ready;
    const raw = await connect({ servers: testNatsUrl });
    t.after(() => raw.close());
    const h = headers();
    h.set('Nats-Msg-Id', 'abc');
    h.set('Eventum-V', '1');
    h.set('Eventum-Ts', '12.5');
    h.set('Eventum-Type', 'kind');
    const body = {
      v: 1,
      id: 'abc',
      topic: 'admin.spoofed',
      type: 'kind',
      ts: 12.5,
      payload: { a: 1 },
    };
    raw.publish(`${root}.v1`, JSON.stringify(body), { headers: h });
    // A v1 body without its fields: the headers fill them.
    raw.publish(`${root}.v1h`, JSON.stringify({ v: 1, payload: { b: 2 } }), { headers: h });
    const events = await takeEvents(sub, 2);
    assert.deepEqual(
      events.map((e) => [e.v, e.id, e.topic, e.type, e.ts, e.payload]),
      [
        [1, 'abc', `${root}.v1`, 'kind', 12.5, { a: 1 }],
        [1, 'abc', `${root}.v1h`, 'kind', 12.5, { b: 2 }],
      ],
    );
    await sub.close();
  });

  it('reads version 2 bodies of other publishers: any key order, escapes, ill-typed fields', async (t) => {
    const root = uniqueRoot();
    const sub = subscriber.subscribe(`${root}.>`);
    await sub.ready;
    const raw = await connect({ servers: testNatsUrl });
    t.after(() => raw.close());
    const bodies = [
      '{"payload":{"a":1},"ms":1500,"type":"k\\"q","id":"x\\\\y","v":2}',
      // An ill-typed field sends the body down the tolerant path: the type falls back to ''.
      '{"v":2,"id":"i2","type":5,"ms":2000,"payload":{"b":2}}',
      '{"v":2,"ms":3000,"payload":[1]}',
    ];
    for (const [i, body] of bodies.entries()) raw.publish(`${root}.m${i}`, body);
    const events = await takeEvents(sub, 3);
    assert.deepEqual(
      events.map((e) => [e.v, e.topic, e.type, e.ts, e.payload]),
      [
        [2, `${root}.m0`, 'k"q', 1.5, { a: 1 }],
        [2, `${root}.m1`, '', 2, { b: 2 }],
        [2, `${root}.m2`, '', 3, {}],
      ],
    );
    assert.deepEqual([events[0]?.id, events[1]?.id], ['x\\y', 'i2']);
    assert.match(events[2]?.id ?? '', /^[0-9a-f]{32}$/);
    await sub.close();
  });

  it('does not echo with echo: false, and decodes plain NATS publishers tolerantly (subject wins)', async (t) => {
    const root = uniqueRoot();
    const own = publisher.subscribe(`${root}.mine`);
    const sub = subscriber.subscribe(`${root}.>`);
    await Promise.all([own.ready, sub.ready]);
    const raw = await connect({ servers: testNatsUrl });
    t.after(() => raw.close());
    const h = headers();
    h.set('Eventum-Type', 'from-header');
    raw.publish(`${root}.plain`, JSON.stringify({ topic: 'admin.spoofed', payload: { p: 1 } }), {
      headers: h,
    });
    raw.publish(`${root}.junk`, 'not json');
    raw.publish(`${root}.empty`);
    // Order holds per connection only: the server has routed raw's messages once flushed.
    await raw.flush();
    publisher.publish(`${root}.mine`, { m: 1 });
    const events = await takeEvents(sub, 3);
    assert.deepEqual(
      events.map((e) => [e.topic, e.type, e.payload]),
      [
        [`${root}.plain`, 'from-header', { p: 1 }],
        [`${root}.empty`, '', {}],
        [`${root}.mine`, '', { m: 1 }],
      ],
    );
    await waitFor(() => subscriber.stats.errors === 1);
    assert.ok(await nothingMore(own));
    await own.close();
    await sub.close();
  });

  it('shares a queue group between connections', async (t) => {
    const root = uniqueRoot();
    const second = await createNatsBus({ servers: testNatsUrl });
    t.after(() => second.close());
    const members = [
      subscriber.subscribe(`${root}.job`, { queue: 'workers' }),
      second.subscribe(`${root}.job`, { queue: 'workers' }),
    ];
    await Promise.all(members.map((m) => m.ready));
    for (let i = 0; i < 200; i++) publisher.publish(`${root}.job`, { i });
    await publisher.flush();
    const counts = [0, 0];
    await Promise.all(
      members.map(async (member, k) => {
        for await (const _ of member) {
          counts[k] = (counts[k] ?? 0) + 1;
          if ((counts[0] ?? 0) + (counts[1] ?? 0) === 200)
            await Promise.all(members.map((m) => m.close()));
        }
      }),
    );
    assert.equal((counts[0] ?? 0) + (counts[1] ?? 0), 200);
    assert.ok(
      (counts[0] ?? 0) > 0 && (counts[1] ?? 0) > 0,
      `both members got work: ${String(counts)}`,
    );
  });

  it('close drains: what was published just before close still arrives', async () => {
    const root = uniqueRoot();
    const sub = subscriber.subscribe(`${root}.x`, { bufferSize: 5000 });
    await sub.ready;
    const closing = await createNatsBus({ servers: testNatsUrl });
    for (let i = 0; i < 2000; i++) closing.publish(`${root}.x`, { i });
    await closing.close();
    assert.equal((await takeEvents(sub, 2000)).at(-1)?.payload['i'], 1999);
    await sub.close();
  });

  it('reports a full subscription buffer as a slowConsumer status', async (t) => {
    const statuses: string[] = [];
    const bus = await createNatsBus({
      servers: testNatsUrl,
      onStatus: (s) => statuses.push(s.type),
    });
    t.after(() => bus.close());
    const root = uniqueRoot();
    const sub = bus.subscribe(`${root}.x`, { bufferSize: 1 });
    await sub.ready;
    for (let i = 0; i < 5; i++) bus.publish(`${root}.x`, { i });
    await waitFor(() => sub.dropped === 4);
    assert.deepEqual(
      statuses.filter((s) => s === 'slowConsumer'),
      ['slowConsumer'],
    );
  });

  it('fails to connect with ERR_REFUSED when no server answers', async () => {
    await assert.rejects(createNatsBus({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 500 }), {
      code: 'ERR_REFUSED',
    });
  });
});
