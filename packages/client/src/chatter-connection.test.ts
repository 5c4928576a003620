import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { ClosedError, ProtocolError, isEventumError } from '@eventum/core';

import { ChatterConnection } from './chatter-connection.js';
import type { ChatterOptions } from './chatter-options.js';
import { connectChatter } from './connect-chatter.js';
import { chatterPair, listenRaw } from './testing/loopback.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const data = (s: string): { type: string; data: Uint8Array } => ({
  type: 'Test.Msg',
  data: text(s),
});
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A ChatterConnection accepted by a server, with a raw socket as its peer. */
async function rawClient(
  t: TestContext,
  options: ChatterOptions = {},
): Promise<{ connection: ChatterConnection; raw: Socket }> {
  const listener = await listenRaw();
  const raw = netConnect({ host: '127.0.0.1', port: listener.port });
  raw.on('error', () => {});
  const connection = ChatterConnection.fromSocket(await listener.accepted(), options);
  t.after(async () => {
    raw.destroy();
    await connection.close();
    await listener.close();
  });
  return { connection, raw };
}

describe('ChatterConnection', () => {
  it('starts a new conversation per send with ids from 1, owned by the sender', async (t) => {
    const pair = await chatterPair();
    t.after(() => pair.close());
    const c1 = pair.client.send(data('a'));
    const c2 = pair.client.send(data('b'), { last: false });
    assert.deepEqual(c1, { owner: true, first: 1 });
    assert.deepEqual(c2, { owner: true, first: 2 });
    const m1 = await pair.server.receive();
    const m2 = await pair.server.receive();
    assert.equal(decode(m1.data.data), 'a');
    assert.deepEqual(m1.conversation, { owner: false, first: 1 });
    assert.equal(m1.first, true);
    assert.equal(m1.last, true);
    assert.equal(m1.token, true);
    assert.deepEqual(m2.conversation, { owner: false, first: 2 });
    assert.equal(m2.last, false);
  });

  it('delivers a reply in the requester-owned conversation, not as a first message', async (t) => {
    const pair = await chatterPair();
    t.after(() => pair.close());
    pair.server.send(data('server first')); // server's own id 1
    const request = pair.client.send(data('request'), { last: false }); // client id 1
    assert.equal((await pair.client.receive()).conversation.owner, false);
    const received = await pair.server.receive();
    const reply = pair.server.send(data('reply'), { conversation: received.conversation });
    assert.deepEqual(reply, { owner: false, first: 1 });
    const response = await pair.client.receive();
    assert.deepEqual(response.conversation, request);
    assert.equal(response.first, false);
    assert.equal(response.last, true);
    assert.equal(decode(response.data.data), 'reply');
  });

  it('sends large bodies unchanged through the uncopied path', async (t) => {
    const pair = await chatterPair();
    t.after(() => pair.close());
    const body = new Uint8Array(300_000).map((_, i) => i % 251);
    pair.client.send({ type: 'Test.Big', data: body }, { token: false });
    pair.client.send(data('after'));
    const big = await pair.server.receive();
    assert.deepEqual(big.data.data, body);
    assert.equal(big.token, false);
    assert.equal(decode((await pair.server.receive()).data.data), 'after');
  });

  it('keeps received messages for receive() after the peer closed, then rejects', async (t) => {
    const pair = await chatterPair();
    t.after(() => pair.close());
    pair.client.send(data('one'));
    pair.client.send(data('two'));
    await pair.client.close();
    assert.equal(await pair.server.closed, undefined);
    assert.equal(decode((await pair.server.receive()).data.data), 'one');
    assert.equal(decode((await pair.server.receive()).data.data), 'two');
    await assert.rejects(pair.server.receive(), ClosedError);
  });

  it('fails a pending receive with ERR_CLOSED on close and ends iteration', async (t) => {
    const pair = await chatterPair();
    t.after(() => pair.close());
    const pending = pair.client.receive();
    const iterated: string[] = [];
    const loop = (async () => {
      for await (const message of pair.server) iterated.push(decode(message.data.data));
    })();
    pair.client.send(data('x'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const close = pair.client.close();
    assert.equal(pair.client.close(), close, 'close is idempotent');
    await assert.rejects(pending, (error) => isEventumError(error, 'ERR_CLOSED'));
    await loop;
    assert.deepEqual(iterated, ['x']);
    assert.throws(() => pair.client.send(data('late')), ClosedError);
    await assert.rejects(pair.client.drain(), ClosedError);
  });

  it('closes with ERR_PROTOCOL on garbage bytes, without disturbing the peer', async (t) => {
    const { connection, raw } = await rawClient(t);
    const rawClosed = new Promise((resolve) => raw.once('close', resolve));
    raw.write(Buffer.from([0x00, 0xff, 0xff]));
    const reason = await connection.closed;
    assert.ok(reason instanceof ProtocolError, String(reason));
    await rawClosed;
  });

  it('closes with ERR_PROTOCOL on a well-framed body that is no chatter message', async (t) => {
    const { connection, raw } = await rawClient(t);
    raw.write(Buffer.from([0x01, 0x02, 0x81, 0x81]));
    const reason = await connection.closed;
    assert.ok(reason instanceof ProtocolError, String(reason));
  });

  it('closes only the connection that received an oversized frame', async (t) => {
    const listener = await listenRaw();
    const limits = { maxFrameSize: 1000 };
    const clients = await Promise.all([
      connectChatter({ port: listener.port }),
      connectChatter({ port: listener.port }),
    ]);
    const servers = await Promise.all(
      [0, 1].map(async (i) => ChatterConnection.fromSocket(await listener.accepted(i), limits)),
    );
    t.after(async () => {
      await Promise.all([...clients, ...servers].map((c) => c.close()));
      await listener.close();
    });
    const [bad, good] = clients;
    const [badServer, goodServer] = servers as [ChatterConnection, ChatterConnection];
    bad.send(data('x'.repeat(5000)));
    const reason = await badServer.closed;
    assert.ok(reason instanceof ProtocolError, String(reason));
    assert.match(reason.message, /exceeds the limit/);
    await bad.closed;
    good.send(data('still fine'));
    assert.equal(decode((await goodServer.receive()).data.data), 'still fine');
    assert.equal(good.isClosed, false);
  });

  it('rejects connectChatter with ERR_REFUSED and the socket error as cause', async () => {
    const listener = await listenRaw();
    const port = listener.port;
    await listener.close();
    await assert.rejects(connectChatter({ port }), (error: unknown) => {
      assert.ok(isEventumError(error, 'ERR_REFUSED'));
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
      return true;
    });
  });

  it('rejects connectChatter with ERR_ABORTED when the signal is already aborted', async () => {
    const signal = AbortSignal.abort(new Error('stop'));
    await assert.rejects(connectChatter({ port: 1, signal }), (error) =>
      isEventumError(error, 'ERR_ABORTED'),
    );
  });

  it('rejects invalid options with ERR_INVALID_ARGUMENT before connecting', async () => {
    await assert.rejects(connectChatter({ port: 70000 }), (e) =>
      isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
    await assert.rejects(connectChatter({ port: 1, pingTimeoutMs: 0 }), /pingTimeoutMs/);
  });
});
