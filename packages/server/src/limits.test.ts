import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import { MAX_PAYLOAD_DEPTH, encodeEvent } from '@eventum/core';
import type { Event, RegisterEvent } from '@eventum/core';
import { jsonText, waitFor } from '@eventum/testing';

import { notifyBodies } from './notify-bodies.js';
import type { Server } from './server.js';
import { startServer } from './testing/server-fixture.js';

// Issue 12, defects 1 and 2, over TCP with the real server and client.

const FRAME = 64 * 1024;

const nested = (depth: number): string => `${'['.repeat(depth)}0${']'.repeat(depth)}`;
const big = (type: string, chars: number): RegisterEvent => ({
  type: ['big', type],
  payload: { type: 'json', data: 'x'.repeat(chars) },
});

async function client(
  t: { after: (fn: () => Promise<void>) => void },
  server: Server,
  seen?: Event[],
): Promise<EventerClient> {
  const c = await connect({
    port: server.address.port,
    clientName: seen === undefined ? 'writer' : 'subscriber',
    subscriptions: seen === undefined ? [] : [['big', '*'], ['tiny']],
    maxFrameSize: FRAME,
    onEvents: (events) => void seen?.push(...events),
  });
  t.after(() => c.close());
  return c;
}

describe('limits: payload depth', () => {
  it('refuses a payload nested deeper than the limit; the client and queries carry on', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const c = await client(t, server);
    const deep = { type: ['deep'], payload: jsonText(nested(8000)) };
    assert.equal(await c.register([deep], { withResponse: true }), null);
    const over = { type: ['deep'], payload: jsonText(nested(MAX_PAYLOAD_DEPTH + 1)) };
    assert.equal(await c.register([over], { withResponse: true }), null);
    const atLimit = { type: ['deep'], payload: jsonText(nested(MAX_PAYLOAD_DEPTH)) };
    const stored = await c.register([atLimit], { withResponse: true });
    assert.equal(stored?.length, 1);
    const latest = await c.query({ type: 'latest', eventTypes: [['deep']] });
    assert.equal(latest.events.length, 1);
    const server1 = await c.query({ type: 'server', serverId: 1 });
    assert.ok(server1.events.some((e) => e.type[0] === 'deep'));
    assert.equal(c.isClosed, false);
  });
});

describe('limits: frame size end to end', () => {
  it('refuses an event over the maximum event size with a failure, not a dropped connection', async (t) => {
    const server = await startServer({ chatter: { maxFrameSize: FRAME } });
    t.after(() => server.close());
    const seen: Event[] = [];
    const subscriber = await client(t, server, seen);
    const writer = await client(t, server);
    assert.equal(await writer.register([big('a', FRAME - 200)], { withResponse: true }), null);
    const fits = await writer.register([big('b', FRAME - 400)], { withResponse: true });
    assert.equal(fits?.length, 1);
    await waitFor(() => seen.length === 1);
    assert.deepEqual(seen[0]?.type, ['big', 'b']);
    const latest = await writer.query({ type: 'latest', eventTypes: [['big', 'b']] });
    assert.equal(latest.events.length, 1);
    assert.equal(subscriber.isClosed, false);
    assert.equal(writer.isClosed, false);
  });

  it('pages latest and timeseries results by bytes', async (t) => {
    const server = await startServer({ chatter: { maxFrameSize: FRAME } });
    t.after(() => server.close());
    const writer = await client(t, server);
    for (const type of ['a', 'b']) {
      assert.ok(await writer.register([big(type, 40_000)], { withResponse: true }));
    }
    const latest = await writer.query({ type: 'latest', eventTypes: [['big', '*']] });
    assert.equal(latest.events.length, 1);
    assert.equal(latest.moreFollows, true);
    for (const type of ['a', 'b']) {
      const one = await writer.query({ type: 'latest', eventTypes: [['big', type]] });
      assert.deepEqual(
        one.events.map((e) => e.type),
        [['big', type]],
      );
    }
    const first = await writer.query({ type: 'timeseries', eventTypes: [['big', '*']] });
    assert.deepEqual(
      first.events.map((e) => e.type),
      [['big', 'b']],
    );
    assert.equal(first.moreFollows, true);
    const lastEventId = first.events[0]?.id ?? null;
    const second = await writer.query({
      type: 'timeseries',
      eventTypes: [['big', '*']],
      lastEventId,
    });
    assert.deepEqual(
      second.events.map((e) => e.type),
      [['big', 'a']],
    );
    assert.equal(writer.isClosed, false);
  });

  it('splits a session larger than a frame across notifications; refuses it with a response', async (t) => {
    const server = await startServer({ chatter: { maxFrameSize: FRAME } });
    t.after(() => server.close());
    const seen: Event[] = [];
    const subscriber = await client(t, server, seen);
    const writer = await client(t, server);
    // 6,000 events of 5 bytes fit a request; as events (with id and timestamp) they do not.
    const tiny = Array.from({ length: 6000 }, (): RegisterEvent => ({ type: ['tiny'] }));
    assert.equal(await writer.register(tiny, { withResponse: true }), null);
    await writer.register(tiny);
    await waitFor(() => seen.length === tiny.length);
    assert.ok(seen.every((e, i) => e.id.instance === i + 1));
    assert.equal(subscriber.isClosed, false);
    assert.equal(writer.isClosed, false);
  });
});

describe('notifyBodies', () => {
  it('keeps events in order, each body within the budget', () => {
    const events = Array.from({ length: 50 }, (_, i): Event => ({
      id: { server: 1, session: 1, instance: i + 1 },
      type: ['t'],
      timestamp: { s: 1, us: 0 },
      sourceTimestamp: null,
      payload: { type: 'json', data: 'y'.repeat(100 + i) },
    }));
    const budget = 1000;
    const bodies = notifyBodies(events, budget);
    assert.ok(bodies.length > 1);
    assert.ok(bodies.every((body) => body.length <= budget + 2));
    const total = bodies.reduce((n, body) => n + body.length, 0);
    const eventBytes = events.reduce((n, e) => n + encodeEvent(e).length, 0);
    assert.ok(total >= eventBytes && total <= eventBytes + 2 * bodies.length);
    assert.deepEqual(notifyBodies(events.slice(0, 2), budget).length, 1);
  });
});
