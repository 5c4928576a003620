import assert from 'node:assert/strict';
import { connect as connectSocket } from 'node:net';
import { describe, it } from 'node:test';

import { Subscription, createMemoryBackend, deferred } from '@eventum/core';
import type { Event, EventerMsg } from '@eventum/core';

import { createServer } from './server.js';

import { initPeer, startServer, waitForStatus } from './testing/server-fixture.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ascii = (text: string): string => Buffer.from(text, 'ascii').toString('hex');

/** Reads from a raw socket until `count` bytes arrived. */
function readBytes(socket: ReturnType<typeof connectSocket>, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= count) resolve(received);
    });
    socket.once('error', reject);
  });
}

describe('eventer server: wire', () => {
  it('answers the spec’s init frame with the exact MsgInitRes frame (hat-event.md §2.2)', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' });
    t.after(() => socket.destroy());
    socket.write(
      hex(
        `01 25 81 81 01 01 00 95 ${ascii('HatEventer.MsgInitReq')} 89 81 63 80 81 81 81 2a 80 00`,
      ),
    );
    // id 1, first 1 (the client's), owner F, token T, last T, MsgInitRes success operational.
    const expected = hex(`01 1e 81 81 00 01 01 95 ${ascii('HatEventer.MsgInitRes')} 82 80 82`);
    const received = await readBytes(socket, expected.length);
    assert.deepEqual(received.subarray(0, expected.length), expected);
  });

  it('closes a connection that sends garbage, and keeps serving the others', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const { peer } = await initPeer(server);
    t.after(() => peer.chatter.close());
    const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(hex('09 ff ff ff ff ff ff ff ff ff'));
    await closed;
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgQueryReq', data: { type: 'latest' } },
      { last: false },
    );
    const { msg } = await peer.nextOf('HatEventer.MsgQueryRes');
    assert.equal(msg.type, 'HatEventer.MsgQueryRes');
    assert.equal(server.isClosed, false);
  });

  it('closes a connection whose first message is not MsgInitReq', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const { rawPeer } = await import('./testing/server-fixture.js');
    const peer = await rawPeer(server);
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgQueryReq', data: { type: 'latest' } },
      { last: false },
    );
    assert.equal((await peer.chatter.closed)?.message ?? 'closed', 'closed');
  });
});

describe('eventer server: tokens', () => {
  const cases = [
    { server: null, client: null, ok: true },
    { server: 'secret', client: null, ok: true },
    { server: 'secret', client: 'secret', ok: true },
    { server: 'secret', client: 'wrong', ok: false },
    { server: null, client: 'any', ok: false },
  ];
  for (const c of cases) {
    it(`server token ${c.server}, client token ${c.client} → ${c.ok ? 'accepted' : 'refused'}`, async (t) => {
      const server = await startServer({ serverToken: c.server });
      t.after(() => server.close());
      const { peer, response } = await initPeer(server, { clientToken: c.client });
      t.after(() => peer.chatter.close());
      const expected: EventerMsg = c.ok
        ? { type: 'HatEventer.MsgInitRes', data: { type: 'success', status: 'operational' } }
        : { type: 'HatEventer.MsgInitRes', data: { type: 'error', error: 'invalid client token' } };
      assert.deepEqual(response, expected);
    });
  }
});

describe('eventer server: register and query', () => {
  it('registers with a response, and silently without one', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const { peer } = await initPeer(server);
    t.after(() => peer.chatter.close());
    const conversation = peer.chatter.sendEventer(
      { type: 'HatEventer.MsgRegisterReq', data: [{ type: ['a'] }, { type: ['b'] }] },
      { last: false },
    );
    const { message, msg } = await peer.nextOf('HatEventer.MsgRegisterRes');
    assert.equal(message.conversation.first, conversation.first);
    assert.equal(message.last, true);
    assert.ok(msg.type === 'HatEventer.MsgRegisterRes' && msg.data.type === 'events');
    const events = msg.data.events;
    assert.deepEqual(
      events.map((e) => e.type),
      [['a'], ['b']],
    );
    assert.equal(events[0]?.id.session, events[1]?.id.session);
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgRegisterReq', data: [{ type: ['c'] }] },
      { last: true },
    );
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgQueryReq', data: { type: 'latest', eventTypes: [['c']] } },
      { last: false },
    );
    const query = await peer.nextOf('HatEventer.MsgQueryRes');
    assert.ok(query.msg.type === 'HatEventer.MsgQueryRes');
    assert.deepEqual(
      query.msg.data.events.map((e) => e.type),
      [['c']],
    );
  });

  it('answers a failing query with an empty result and keeps the connection', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const { peer } = await initPeer(server);
    t.after(() => peer.chatter.close());
    const lastEventId = { server: 9, session: 1, instance: 1 };
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgQueryReq', data: { type: 'server', serverId: 1, lastEventId } },
      { last: false },
    );
    const { msg } = await peer.nextOf('HatEventer.MsgQueryRes');
    assert.deepEqual(msg.data, { events: [], moreFollows: false });
    assert.equal(peer.chatter.isClosed, false);
  });

  it('refuses registrations while not operational, answering failure', async (t) => {
    // A module whose creation waits keeps the server in `starting`.
    const release = deferred<void>();
    const slowModule = {
      info: {
        create: async () => {
          await release.promise;
          return { subscription: new Subscription([]), process: () => null };
        },
      },
      config: {},
    };
    const server = await createServer({
      serverId: 1,
      serverToken: null,
      host: '127.0.0.1',
      port: 0,
      createBackend: (context) => createMemoryBackend({}, context),
      modules: [slowModule],
    });
    t.after(async () => {
      release.resolve();
      await server.close();
    });
    await waitForStatus(server, 'starting');
    const { peer, response } = await initPeer(server);
    t.after(() => peer.chatter.close());
    assert.deepEqual(response.data, { type: 'success', status: 'starting' });
    peer.chatter.sendEventer(
      { type: 'HatEventer.MsgRegisterReq', data: [{ type: ['a'] }] },
      { last: false },
    );
    const { msg } = await peer.nextOf('HatEventer.MsgRegisterRes');
    assert.deepEqual(msg.data, { type: 'failure' });
  });
});

describe('eventer server: system events and status', () => {
  it('registers CONNECTED and DISCONNECTED, and tells the client of its own connection', async (t) => {
    const server = await startServer({ serverId: 3 });
    t.after(() => server.close());
    const { peer } = await initPeer(server, {
      clientName: 'watcher',
      subscriptions: [['event', '*']],
    });
    const { msg } = await peer.nextOf('HatEventer.MsgEventsNotify');
    const events = msg.data as readonly Event[];
    assert.deepEqual(events[0]?.type, ['event', '3', 'eventer', 'watcher']);
    assert.deepEqual(events[0]?.payload, { type: 'json', data: 'CONNECTED' });
    const { peer: other } = await initPeer(server, { clientName: 'other' });
    await other.chatter.close();
    const next = await peer.nextOf('HatEventer.MsgEventsNotify');
    const types = (next.msg.data as readonly Event[]).map((e) => e.type.join('/'));
    assert.ok(types.includes('event/3/eventer/other'));
    await peer.chatter.close();
  });

  it('announces status changes through an engine restart', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const { peer } = await initPeer(server);
    t.after(() => peer.chatter.close());
    server.engineRunner.restart();
    const seen: unknown[] = [];
    while (seen.length < 4) seen.push((await peer.nextOf('HatEventer.MsgStatusNotify')).msg.data);
    assert.deepEqual(seen, ['stopping', 'standby', 'starting', 'operational']);
  });
});
