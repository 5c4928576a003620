import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { describe, it } from 'node:test';

import { ChatterMsgType, isEventumError } from '@eventum/core';
import { waitFor } from '@eventum/testing';

import { ChatterConnection } from './chatter-connection.js';
import { connectChatter } from './connect-chatter.js';
import { chatterPair, listenRaw, sleep } from './testing/loopback.js';
import { RawChatterPeer } from './testing/raw-chatter.js';

const EMPTY = new Uint8Array(0);

describe('ChatterConnection keep-alive', () => {
  it('pings after the delay in a new conversation with last=false and accepts the pong', async (t) => {
    const listener = await listenRaw();
    const client = await connectChatter({
      port: listener.port,
      pingDelayMs: 20,
      pingTimeoutMs: 5000,
    });
    const peer = new RawChatterPeer(await listener.accepted());
    t.after(async () => {
      await client.close();
      await listener.close();
    });
    for (let i = 0; i < 2; i++) {
      const ping = await peer.next();
      assert.equal(ping.data.type, ChatterMsgType.Ping);
      assert.equal(ping.data.data.length, 0);
      assert.equal(ping.owner, true);
      assert.equal(ping.first, ping.id);
      assert.equal(ping.last, false);
      const pong = { type: ChatterMsgType.Pong, data: EMPTY };
      peer.write({ id: i + 1, first: ping.id, owner: false, token: true, last: true, data: pong });
    }
    assert.equal(client.isClosed, false);
  });

  it('answers a ping with a pong in the same conversation and hides both from receive()', async (t) => {
    const listener = await listenRaw();
    const raw = netConnect({ host: '127.0.0.1', port: listener.port });
    const peer = new RawChatterPeer(raw);
    const connection = ChatterConnection.fromSocket(await listener.accepted(), { pingDelayMs: 0 });
    t.after(async () => {
      raw.destroy();
      await connection.close();
      await listener.close();
    });
    const ping = { type: ChatterMsgType.Ping, data: EMPTY };
    peer.write({ id: 7, first: 7, owner: true, token: true, last: false, data: ping });
    peer.write({
      id: 8,
      first: 8,
      owner: true,
      token: true,
      last: true,
      data: { type: 'T.X', data: EMPTY },
    });
    const pong = await peer.next();
    assert.equal(pong.data.type, ChatterMsgType.Pong);
    assert.deepEqual(
      { id: pong.id, first: pong.first, owner: pong.owner, last: pong.last },
      { id: 1, first: 7, owner: false, last: true },
    );
    assert.equal((await connection.receive()).data.type, 'T.X');
  });

  it('closes with ERR_TIMEOUT when the peer never answers a ping', async (t) => {
    const listener = await listenRaw(); // accepts and never writes anything
    const client = await connectChatter({
      port: listener.port,
      pingDelayMs: 10,
      pingTimeoutMs: 30,
    });
    t.after(async () => {
      await client.close();
      await listener.close();
    });
    const reason = await client.closed;
    assert.ok(isEventumError(reason, 'ERR_TIMEOUT'), String(reason));
  });

  it('keeps two chatter connections alive through repeated ping/pong', async (t) => {
    const options = { pingDelayMs: 5, pingTimeoutMs: 2000 };
    const pair = await chatterPair(options, options);
    t.after(() => pair.close());
    await sleep(100);
    assert.equal(pair.client.isClosed, false);
    assert.equal(pair.server.isClosed, false);
    assert.equal(pair.server.receiveQueueLength, 0, 'pings never reach the consumer');
  });

  it('sends no ping when pingDelayMs is 0', async (t) => {
    const listener = await listenRaw();
    const client = await connectChatter({ port: listener.port, pingDelayMs: 0, pingTimeoutMs: 1 });
    const peer = new RawChatterPeer(await listener.accepted());
    t.after(async () => {
      await client.close();
      await listener.close();
    });
    await sleep(50);
    assert.equal(peer.bytes.length, 0);
    assert.equal(client.isClosed, false);
  });

  it('suspends its keep-alive timeout while its own full receive queue pauses the socket', async (t) => {
    const pair = await chatterPair(
      { receiveQueueSize: 1, pingDelayMs: 5, pingTimeoutMs: 40 },
      { pingDelayMs: 0 },
    );
    t.after(() => pair.close());
    for (let i = 0; i < 10; i++) pair.server.send({ type: 'T.X', data: EMPTY });
    await waitFor(() => pair.client.isReceivePaused);
    await sleep(150); // several ping periods: a running keep-alive would have timed out

    assert.equal(pair.client.isClosed, false);
    for (let i = 0; i < 10; i++) await pair.client.receive();
    assert.equal(pair.client.isReceivePaused, false);
  });
});
