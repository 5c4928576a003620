import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EventerMsgType, Status, encodeEventerFrame, isEventumError } from '@eventum/core';
import { makeEvent, waitFor } from '@eventum/testing';

import { connect } from './eventer-client.js';
import { ConsumerOverflowError } from './eventer-errors.js';
import { FakeEventerServer } from './testing/fake-eventer-server.js';
import { listenRaw } from './testing/loopback.js';

describe('EventerClient wire and lifecycle', () => {
  it('writes the MsgInitReq frame of hat-event.md §2.2 byte for byte', async (t) => {
    const received: Buffer[] = [];
    const listener = await listenRaw((socket) => {
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).length < 39) return;
        const header = { id: 1, first: 1, owner: false, token: true, last: true };
        const data = { type: 'success', status: Status.Operational } as const;
        socket.write(encodeEventerFrame(header, { type: EventerMsgType.InitRes, data }));
      });
    });
    t.after(() => listener.close());
    const client = await connect({ clientName: 'c', subscriptions: [['*']], port: listener.port });
    t.after(() => client.close());
    const expected = Buffer.concat([
      Buffer.from([0x01, 0x25, 0x81, 0x81, 0x01, 0x01, 0x00, 0x95]),
      Buffer.from('HatEventer.MsgInitReq'),
      Buffer.from([0x89, 0x81, 0x63, 0x80, 0x81, 0x81, 0x81, 0x2a, 0x80, 0x00]),
    ]);
    assert.deepEqual(Buffer.concat(received), expected);
    assert.equal(client.status, Status.Operational);
  });

  it('applies a status notification sent right behind MsgInitRes after the init status', async (t) => {
    const listener = await listenRaw((socket) => {
      socket.once('data', () => {
        const reply = { id: 1, first: 1, owner: false, token: true, last: true };
        const data = { type: 'success', status: Status.Operational } as const;
        const notify = { id: 2, first: 2, owner: true, token: true, last: true };
        socket.write(
          Buffer.concat([
            encodeEventerFrame(reply, { type: EventerMsgType.InitRes, data }),
            encodeEventerFrame(notify, {
              type: EventerMsgType.StatusNotify,
              data: Status.Stopping,
            }),
          ]),
        );
      });
    });
    t.after(() => listener.close());
    const client = await connect({ clientName: 'c', port: listener.port });
    t.after(() => client.close());
    await waitFor(() => client.status === Status.Stopping);
  });

  it('fails only the events() consumer that fell behind, with ConsumerOverflowError', async (t) => {
    const server = await FakeEventerServer.start();
    t.after(() => server.close());
    const client = await connect({ clientName: 'c', port: server.port, eventsQueueSize: 2 });
    t.after(() => client.close());
    const session = await server.nextSession();
    const slow = client.events();
    const fast = client.events();
    const batches = [1, 2, 3, 4].map((i) => [makeEvent(1, 1, i, ['t'])]);
    for (const batch of batches) session.notify(batch);
    for (const batch of batches) assert.deepEqual((await fast.next()).value, batch);
    await assert.rejects(slow.next(), (error) => {
      assert.ok(error instanceof ConsumerOverflowError);
      assert.equal(error.limit, 2);
      return true;
    });
    assert.equal((await slow.next()).done, true);
    assert.equal(client.isClosed, false);
  });

  it('reconnects after the connection drops, re-initialises and reports it via statuses()', async (t) => {
    const server = await FakeEventerServer.start({
      onQuery: (params) =>
        params.type === 'latest' ? undefined : { events: [], moreFollows: false },
    });
    t.after(() => server.close());
    const client = await connect({
      clientName: 'c',
      subscriptions: [['x']],
      port: server.port,
      reconnect: { delayMs: 5 },
    });
    t.after(() => client.close());
    const statuses = client.statuses();
    const first = await server.nextSession();
    const pending = assert.rejects(client.query({ type: 'latest' }), (e) =>
      isEventumError(e, 'ERR_CLOSED'),
    );
    await first.next();
    await first.connection.close();
    await pending;
    assert.equal((await statuses.next()).value, Status.Standby);
    const second = await server.nextSession();
    assert.deepEqual(second.init, first.init);
    assert.equal((await statuses.next()).value, Status.Operational);
    assert.equal(client.isConnected, true);
    const result = await client.query({ type: 'server', serverId: 1 });
    assert.deepEqual(result, { events: [], moreFollows: false });
  });

  it('fails requests fast while reconnecting and stops retrying on close', async (t) => {
    const server = await FakeEventerServer.start();
    const client = await connect({ clientName: 'c', port: server.port, reconnect: { delayMs: 5 } });
    t.after(() => client.close());
    const statuses = client.statuses();
    await server.close();
    assert.equal((await statuses.next()).value, Status.Standby);
    assert.equal(client.isConnected, false);
    assert.equal(client.isClosed, false);
    await assert.rejects(client.register([{ type: ['a'] }]), (e) =>
      isEventumError(e, 'ERR_CLOSED'),
    );
    await client.close();
    assert.equal(await client.closed, undefined);
    assert.equal((await statuses.next()).done, true);
  });
});
