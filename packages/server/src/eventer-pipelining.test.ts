import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import { ClosedError, MAX_PAYLOAD_DEPTH } from '@eventum/core';
import type { Event, RegisterEvent } from '@eventum/core';
import { jsonText } from '@eventum/testing';

import type { Server } from './server.js';
import { startServer } from './testing/server-fixture.js';

// Several requests in flight on one connection (the client's pipelining, its README), with the
// real server and client over TCP.

const batch = (n: number, size: number): RegisterEvent[] =>
  Array.from({ length: size }, (_, i) => ({
    type: ['pipe', String(n)],
    payload: { type: 'json', data: { n, i } },
  }));

async function setup(t: {
  after: (fn: () => Promise<void>) => void;
}): Promise<{ server: Server; client: EventerClient }> {
  const server = await startServer();
  t.after(() => server.close());
  const client = await connect({ port: server.address.port, clientName: 'pipelining' });
  t.after(() => client.close());
  return { server, client };
}

/** The event ids in registration order: session, then instance. */
const idOrder = (a: Event, b: Event): number =>
  a.id.session - b.id.session || a.id.instance - b.id.instance;

describe('eventer client: requests in flight on one connection', () => {
  it('answers each pipelined registration with its own events, in the order they were sent', async (t) => {
    const { client } = await setup(t);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) => client.register(batch(n, 50), { withResponse: true })),
    );
    const all: Event[] = [];
    answers.forEach((events, n) => {
      assert.ok(events !== null);
      assert.equal(events.length, 50);
      events.forEach((event, i) => {
        assert.deepEqual(event.type, ['pipe', String(n)]);
        assert.deepEqual(event.payload, { type: 'json', data: { n, i } });
      });
      all.push(...events);
    });
    assert.deepEqual([...all].sort(idOrder), all, 'ids grow in the order the requests were sent');
  });

  it('answers a query sent behind registrations after they are stored', async (t) => {
    const { client } = await setup(t);
    const registered = [0, 1, 2].map((n) => client.register(batch(n, 10), { withResponse: true }));
    const latest = client.query({ type: 'latest', eventTypes: [['pipe', '*']] });
    await Promise.all(registered);
    assert.deepEqual(
      (await latest).events.map((event) => event.type).sort(),
      [0, 1, 2].map((n) => ['pipe', String(n)]),
    );
  });

  it('fails only the refused registration among those in flight', async (t) => {
    const { client } = await setup(t);
    const depth = MAX_PAYLOAD_DEPTH + 1;
    const tooDeep = jsonText(`${'['.repeat(depth)}0${']'.repeat(depth)}`);
    const invalid: RegisterEvent[] = [{ type: ['pipe', '1'], payload: tooDeep }];
    const answers = await Promise.all([
      client.register(batch(0, 5), { withResponse: true }),
      client.register(invalid, { withResponse: true }),
      client.register(batch(2, 5), { withResponse: true }),
    ]);
    assert.equal(answers[0]?.length, 5);
    assert.equal(answers[1], null);
    assert.deepEqual(answers[2]?.[0]?.type, ['pipe', '2']);
  });

  it('rejects every request in flight with ERR_CLOSED on close; the server serves on', async (t) => {
    const { server, client } = await setup(t);
    const reason = new Error('done');
    const pending = Array.from({ length: 10 }, (_, n) =>
      client.register(batch(n, 100), { withResponse: true }),
    );
    const settled = Promise.allSettled(pending);
    await client.close(reason);
    for (const result of await settled) {
      assert.equal(result.status, 'rejected');
      assert.ok(result.reason instanceof ClosedError);
      assert.equal(result.reason.code, 'ERR_CLOSED');
      assert.equal(result.reason.cause, reason);
    }
    const other = await connect({ port: server.address.port, clientName: 'after' });
    t.after(() => other.close());
    assert.equal((await other.register(batch(99, 1), { withResponse: true }))?.length, 1);
  });
});
