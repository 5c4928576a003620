import assert from 'node:assert/strict';
import { connect as connectSocket } from 'node:net';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { Event } from '@eventum/core';
import { waitFor } from '@eventum/testing';

import { initPeer, startServer } from './testing/server-fixture.js';

const event = (server: number, session: number, type: string[]): Event => ({
  id: { server, session, instance: 1 },
  type,
  timestamp: { s: 1_700_000_000 + session, us: 0 },
  sourceTimestamp: null,
  payload: null,
});

describe('eventer server: notifications', () => {
  it('notifies persisted clients once flushed and others once registered, each by its filters', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const registered: Event[] = [];
    const persisted: Event[] = [];
    const fromTwo: Event[] = [];
    const clients = await Promise.all([
      connect({
        port: server.address.port,
        clientName: 'r',
        subscriptions: [['a', '*']],
        onEvents: (e) => void registered.push(...e),
      }),
      connect({
        port: server.address.port,
        clientName: 'p',
        // The other clients' CONNECTED events are under event/*: subscribe to a/* only.
        subscriptions: [['a', '*']],
        persisted: true,
        onEvents: (e) => void persisted.push(...e),
      }),
      connect({
        port: server.address.port,
        clientName: 's',
        subscriptions: [['*']],
        serverId: 2,
        onEvents: (e) => void fromTwo.push(...e),
      }),
    ]);
    t.after(() => Promise.all(clients.map((c) => c.close())));
    await server.eventerServer.notifyEvents([event(1, 10, ['a', 'x']), event(1, 10, ['b'])], false);
    await server.eventerServer.notifyEvents([event(2, 10, ['a', 'y'])], true);
    await waitFor(() => registered.length === 1 && persisted.length === 1 && fromTwo.length === 0);
    await server.eventerServer.notifyEvents([event(2, 11, ['c'])], false);
    await waitFor(() => fromTwo.length === 1);
    assert.deepEqual(
      registered.map((e) => e.type),
      [['a', 'x']],
    );
    assert.deepEqual(
      persisted.map((e) => e.type),
      [['a', 'y']],
    );
    assert.deepEqual(
      fromTwo.map((e) => e.type),
      [['c']],
    );
  });

  it('with acks, waits until every notified client acked, and not for a client that left', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    let release!: () => void;
    const processing = new Promise<void>((resolve) => (release = resolve));
    const slow = await connect({
      port: server.address.port,
      clientName: 'slow',
      subscriptions: [['x']],
      onEvents: () => processing,
    });
    t.after(() => slow.close());
    const { peer: gone } = await initPeer(server, { subscriptions: [['x']] });
    let acked = false;
    const notified = server.eventerServer
      .notifyEvents([event(1, 10, ['x'])], false, true)
      .then(() => (acked = true));
    await gone.nextOf('HatEventer.MsgEventsNotify');
    await gone.chatter.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(acked, false, 'resolved before the slow client acked');
    release();
    await notified;
    assert.equal(acked, true);
  });

  it('disconnects a client that stops reading, and keeps serving the others', async (t) => {
    const server = await startServer({ maxClientQueueBytes: 64 * 1024 });
    t.after(() => server.close());
    const { peer: reader } = await initPeer(server, { subscriptions: [['*']] });
    t.after(() => reader.chatter.close());
    // A raw client 'c' subscribed to everything (the spec's init frame) that never reads.
    const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' });
    t.after(() => socket.destroy());
    const init = `01 25 81 81 01 01 00 95 ${Buffer.from('HatEventer.MsgInitReq').toString('hex')} 89 81 63 80 81 81 81 2a 80 00`;
    socket.write(Buffer.from(init.replace(/ /g, ''), 'hex'));
    socket.pause();
    const names = (): string[] =>
      [...server.eventerServer.getClientNames()].map(([, name]) => name);
    await waitFor(() => names().includes('c'));
    const big = { type: 'json' as const, data: 'x'.repeat(64 * 1024) };
    let session = 100;
    await waitFor(
      async () => {
        await server.eventerServer.notifyEvents(
          [{ ...event(1, session++, ['big']), payload: big }],
          false,
        );
        return !names().includes('c');
      },
      { timeoutMs: 20_000, intervalMs: 0 },
    );
    assert.equal(server.isClosed, false);
    assert.equal(server.eventerServer.stats().slowConsumerDisconnects, 1);
    assert.equal(server.eventerServer.stats().clients, 1);
    reader.chatter.sendEventer(
      { type: 'HatEventer.MsgQueryReq', data: { type: 'latest' } },
      { last: false },
    );
    const { msg } = await reader.nextOf('HatEventer.MsgQueryRes');
    assert.equal(msg.type, 'HatEventer.MsgQueryRes');
    assert.equal(server.eventerServer.stats().queries, 1);
  });
});
