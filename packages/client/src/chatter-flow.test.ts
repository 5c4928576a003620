import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { connect } from 'node:net';

import { ChatterMsgType, FrameDecoder, decodeChatterMsg, encodeChatterFrame } from '@eventum/core';
import { waitFor } from '@eventum/testing';

import { ChatterConnection } from './chatter-connection.js';
import { PONG_HOLD_BYTES } from './read-gate.js';
import { chatterPair, listenRaw, sleep } from './testing/loopback.js';

const ping = encodeChatterFrame({
  id: 1,
  first: 1,
  owner: true,
  token: true,
  last: false,
  data: { type: ChatterMsgType.Ping, data: new Uint8Array(0) },
});

describe('ChatterConnection flow control', () => {
  it('pauses the socket while the receive queue is full and loses nothing', async (t) => {
    const size = 8;
    const pair = await chatterPair({ pingDelayMs: 0 }, { receiveQueueSize: size, pingDelayMs: 0 });
    t.after(() => pair.close());
    const count = 20_000;
    const body = new Uint8Array(1000);
    for (let i = 0; i < count; i++) {
      new DataView(body.buffer).setUint32(0, i);
      pair.client.send({ type: 'T.N', data: body.slice() });
    }
    await waitFor(() => pair.server.isReceivePaused);
    await sleep(50); // let more bytes arrive if the pause did not hold
    // One socket chunk (≤ 64 KiB) may complete more frames after the queue is full.
    assert.ok(pair.server.receiveQueueLength <= size + 70, String(pair.server.receiveQueueLength));
    assert.ok(pair.client.writableBytes > 0, 'the sender is held back by TCP');
    for (let i = 0; i < count; i++) {
      const message = await pair.server.receive();
      const view = new DataView(message.data.data.buffer, message.data.data.byteOffset);
      assert.equal(view.getUint32(0), i);
    }
    assert.equal(pair.server.isReceivePaused, false);
  });

  it('reports a full send queue and drain() resolves once the peer reads', async (t) => {
    const pair = await chatterPair(
      { maxSendQueueBytes: 1 << 20, pingDelayMs: 0 },
      { receiveQueueSize: 1, pingDelayMs: 0 },
    );
    t.after(() => pair.close());
    const body = new Uint8Array(64 * 1024);
    let sent = 0;
    while (!pair.client.isSendQueueFull) {
      pair.client.send({ type: 'T.Big', data: body });
      sent++;
    }
    assert.ok(pair.client.writableBytes >= 1 << 20);
    let drained = false;
    const drain = pair.client.drain().then(() => (drained = true));
    await sleep(20);
    assert.equal(drained, false, 'nothing drains while the peer does not read');
    for (let i = 0; i < sent; i++) await pair.server.receive();
    await drain;
    assert.equal(pair.client.writableBytes, 0);
    assert.equal(pair.client.isSendQueueFull, false);
  });

  it('stops reading a peer that pings and reads no pongs, and answers every ping once it reads', async (t) => {
    const listener = await listenRaw();
    t.after(() => listener.close());
    const peer = connect({ port: listener.port, host: '127.0.0.1' });
    t.after(() => peer.destroy());
    const server = ChatterConnection.fromSocket(await listener.accepted(), { pingDelayMs: 0 });
    t.after(() => server.close());
    peer.pause(); // reads nothing, for now
    const block = Buffer.concat(Array.from({ length: 10_000 }, () => ping));
    const heldOrFlooded = () => server.isReceivePaused || server.writableBytes > 1 << 20;
    let pings = 0;
    // Pings until the server stops reading (or queues a MiB of pongs: the bug); up to 32 MB.
    while (!heldOrFlooded() && pings < 1_300_000) {
      peer.write(block);
      pings += 10_000;
      await sleep(1);
    }
    await waitFor(heldOrFlooded, { timeoutMs: 60_000 });
    assert.equal(server.isReceivePaused, true);
    // One socket chunk (≤ 64 KiB) of pings may be answered after the hold.
    const waiting = server.writableBytes;
    assert.ok(waiting <= PONG_HOLD_BYTES + 64 * 1024, `${waiting} bytes of pongs wait`);
    const decoder = new FrameDecoder();
    let pongs = 0;
    peer.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (decodeChatterMsg(frame).data.type === ChatterMsgType.Pong) pongs++;
      }
    });
    peer.resume();
    // Up to a million pongs to read: a generous bound, so a loaded machine does not fail it.
    await waitFor(() => pongs === pings, { timeoutMs: 60_000 });
    assert.equal(server.isClosed, false);
  });
});
