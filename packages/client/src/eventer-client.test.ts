import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { ClosedError, EventerMsgType, ProtocolError, Status, deferred } from '@eventum/core';
import type { Event, QueryResult } from '@eventum/core';
import { json, makeEvent } from '@eventum/testing';

import { EventerInitError } from './eventer-errors.js';
import { connect } from './eventer-client.js';
import type { EventerClient } from './eventer-client.js';
import type { EventerClientOptions } from './eventer-options.js';
import { FakeEventerServer } from './testing/fake-eventer-server.js';
import type { FakeEventerOptions, FakeSession } from './testing/fake-eventer-server.js';
import { sleep } from './testing/loopback.js';

type ClientOptions = Partial<EventerClientOptions>;

async function setup(
  t: TestContext,
  serverOptions: FakeEventerOptions = {},
  clientOptions: ClientOptions = {},
): Promise<{ server: FakeEventerServer; client: EventerClient; session: FakeSession }> {
  const server = await FakeEventerServer.start(serverOptions);
  t.after(() => server.close());
  const client = await connect({ clientName: 'test', port: server.port, ...clientOptions });
  t.after(() => client.close());
  return { server, client, session: await server.nextSession() };
}

const event = (instance: number): Event => makeEvent(1, 2, instance, ['a', String(instance)]);

describe('EventerClient', () => {
  it('initialises with MsgInitReq (first, last=false) and takes the status from MsgInitRes', async (t) => {
    const options = {
      clientToken: 'tok',
      subscriptions: [['a', '*']],
      serverId: 3,
      persisted: true,
    };
    const { client, session } = await setup(t, { status: Status.Starting }, options);
    assert.equal(client.status, Status.Starting);
    assert.equal(client.isConnected, true);
    assert.deepEqual(session.init, { clientName: 'test', ...options });
    assert.equal(session.initMessage.first, true);
    assert.equal(session.initMessage.last, false);
  });

  it('rejects connect with EventerInitError (ERR_REFUSED) when the server refuses', async (t) => {
    const server = await FakeEventerServer.start({ initError: 'invalid client token' });
    t.after(() => server.close());
    await assert.rejects(connect({ clientName: 'x', port: server.port }), (error) => {
      assert.ok(error instanceof EventerInitError);
      assert.equal(error.code, 'ERR_REFUSED');
      assert.equal(error.serverMessage, 'invalid client token');
      return true;
    });
  });

  it('registers fire-and-forget with last=true', async (t) => {
    const { client, session } = await setup(t);
    const events = [{ type: ['a', 'b'], payload: json({ v: 1 }) }];
    assert.equal(await client.register(events), undefined);
    const { message, msg } = await session.next();
    assert.equal(msg.type, EventerMsgType.RegisterReq);
    assert.deepEqual(msg.data, [
      { type: ['a', 'b'], sourceTimestamp: null, payload: json({ v: 1 }) },
    ]);
    assert.equal(message.first, true);
    assert.equal(message.last, true);
  });

  it('registers with response (last=false) and returns the events or null on failure', async (t) => {
    let fail = false;
    const { client, session } = await setup(t, {
      onRegister: (events) => (fail ? null : events.map((e, i) => makeEvent(1, 9, i + 1, e.type))),
    });
    const registered = await client.register([{ type: ['x'] }, { type: ['y'] }], {
      withResponse: true,
    });
    assert.deepEqual(registered, [makeEvent(1, 9, 1, ['x']), makeEvent(1, 9, 2, ['y'])]);
    assert.equal((await session.next()).message.last, false);
    fail = true;
    assert.equal(await client.register([{ type: ['z'] }], { withResponse: true }), null);
  });

  it('queries and matches concurrent answers to their requests by conversation', async (t) => {
    const { client } = await setup(t, {
      onQuery: (params) => ({
        events: [event(params.type === 'latest' ? 1 : 2)],
        moreFollows: true,
      }),
    });
    const [latest, series] = await Promise.all([
      client.query({ type: 'latest' }),
      client.query({ type: 'timeseries', maxResults: 1 }),
    ]);
    assert.deepEqual(latest, { events: [event(1)], moreFollows: true });
    assert.deepEqual(series.events, [event(2)]);
  });

  it('delivers notifications to onEvents and events() without acking last=true ones', async (t) => {
    const seen: (readonly Event[])[] = [];
    const { client, session } = await setup(
      t,
      {},
      { onEvents: (events) => void seen.push(events) },
    );
    const iterator = client.events();
    session.notify([event(1)]);
    session.notify([event(2), event(3)]);
    assert.deepEqual((await iterator.next()).value, [event(1)]);
    assert.deepEqual((await iterator.next()).value, [event(2), event(3)]);
    assert.deepEqual(seen, [[event(1)], [event(2), event(3)]]);
    await client.register([{ type: ['after'] }]);
    assert.equal((await session.next()).msg.type, EventerMsgType.RegisterReq, 'no ack came first');
  });

  it('acks a last=false notification in its conversation only after onEvents resolved', async (t) => {
    const processed = deferred<void>();
    const { session } = await setup(t, {}, { onEvents: () => processed.promise });
    const conversation = session.notify([event(1)], false);
    await sleep(30);
    assert.equal(session.pending, 0, 'no ack while onEvents is pending');
    processed.resolve();
    const { message, msg } = await session.next();
    assert.equal(msg.type, EventerMsgType.EventsAck);
    assert.deepEqual(message.conversation, conversation);
    assert.equal(message.last, true);
  });

  it('reports status notifications through status and statuses()', async (t) => {
    const { client, session } = await setup(t);
    const statuses = client.statuses();
    session.setStatus(Status.Stopping);
    assert.equal((await statuses.next()).value, Status.Stopping);
    assert.equal(client.status, Status.Stopping);
  });

  it('fails pending requests with ERR_CLOSED on close and ends the iterators', async (t) => {
    const { client } = await setup(t, { onQuery: () => undefined });
    const reason = new Error('shutting down');
    const pending = assert.rejects(
      client.query({ type: 'latest' }),
      (error) => error instanceof ClosedError && error.cause === reason,
    );
    const events = client.events();
    await client.close(reason);
    await pending;
    assert.equal((await events.next()).done, true);
    await assert.rejects(client.query({ type: 'latest' }), ClosedError);
    assert.equal(await client.closed, reason);
  });

  it('closes when the server drops the connection, failing pending requests', async (t) => {
    const { client, session } = await setup(t, { onQuery: () => undefined });
    const pending = assert.rejects(client.query({ type: 'latest' }), ClosedError);
    await session.next();
    await session.connection.close();
    await pending;
    assert.equal(await client.closed, undefined);
    assert.equal(client.isClosed, true);
  });

  it('closes with ERR_PROTOCOL when the server sends a message a client never expects', async (t) => {
    const { client, session } = await setup(t);
    session.connection.sendEventer({ type: EventerMsgType.QueryReq, data: { type: 'latest' } });
    assert.ok((await client.closed) instanceof ProtocolError);
  });

  it('closes with the error thrown by onEvents', async (t) => {
    const failure = new Error('consumer failed');
    const { client, session } = await setup(t, {}, { onEvents: () => Promise.reject(failure) });
    session.notify([event(1)], false);
    assert.equal(await client.closed, failure);
  });

  it('returns the result of a query with moreFollows unchanged', async (t) => {
    const result: QueryResult = { events: [event(1), event(2)], moreFollows: false };
    const { client } = await setup(t, { onQuery: () => result });
    assert.deepEqual(await client.query({ type: 'server', serverId: 1 }), result);
  });
});
