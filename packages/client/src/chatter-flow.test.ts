import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { waitFor } from '@eventum/testing';

import { chatterPair, sleep } from './testing/loopback.js';

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
});
