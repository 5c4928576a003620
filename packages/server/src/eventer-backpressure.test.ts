// A client that sends requests but never reads the answers: the server must not buffer answers
// without bound (a few bytes of queries each answered with a large result made it hold
// gigabytes), must keep serving other clients, and must answer everything once the client reads.
import assert from 'node:assert/strict';
import { connect as connectSocket } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';

import { ChatterConnection, connect } from '@eventum/client';
import { FrameDecoder, encodeEventerFrame } from '@eventum/core';
import type { ChatterHeader, EventerMsg } from '@eventum/core';

import { startServer } from './testing/server-fixture.js';

const MAX_SEND_QUEUE_BYTES = 64 * 1024;
const QUERIES = 200;

/** Captures the chatter connections created while `run` is pending (the server's, here). */
async function capturingConnections<T>(run: (created: ChatterConnection[]) => Promise<T>) {
  const original = ChatterConnection.fromSocket.bind(ChatterConnection);
  const created: ChatterConnection[] = [];
  ChatterConnection.fromSocket = (...args) => {
    const connection = original(...args);
    created.push(connection);
    return connection;
  };
  try {
    return await run(created);
  } finally {
    ChatterConnection.fromSocket = original;
  }
}

const header = (id: number, last: boolean): ChatterHeader => ({
  id,
  first: id,
  owner: true,
  token: true,
  last,
});

/** Init, QUERIES `latest` queries and a register of `marker`, each asking for an answer. */
function requests(): Uint8Array[] {
  const init: EventerMsg = {
    type: 'HatEventer.MsgInitReq',
    data: {
      clientName: 'no-reader',
      clientToken: null,
      subscriptions: [],
      serverId: null,
      persisted: false,
    },
  };
  const query: EventerMsg = { type: 'HatEventer.MsgQueryReq', data: { type: 'latest' } };
  const marker: EventerMsg = { type: 'HatEventer.MsgRegisterReq', data: [{ type: ['marker'] }] };
  const queries = Array.from({ length: QUERIES }, (_, i) =>
    encodeEventerFrame(header(i + 2, false), query),
  );
  return [
    encodeEventerFrame(header(1, false), init),
    ...queries,
    encodeEventerFrame(header(QUERIES + 2, false), marker),
  ];
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000 && !(await condition()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resumes `socket` and counts the frames it receives until `count` arrived. */
function readFrames(socket: Socket, count: number): Promise<number> {
  const decoder = new FrameDecoder();
  let frames = 0;
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      frames += decoder.push(chunk).length;
      if (frames >= count) resolve(frames);
    });
    socket.resume();
  });
}

describe('eventer server: back-pressure on answers', () => {
  it('stops reading a client that does not read its answers, and serves it once it reads', async (t) => {
    const chatter = { maxSendQueueBytes: MAX_SEND_QUEUE_BYTES, receiveQueueSize: 8 };
    const server = await startServer({ chatter });
    t.after(() => server.close());
    const good = await connect({ port: server.address.port, clientName: 'good' });
    t.after(() => good.close());
    // 100 events of ~1 KiB: every `latest` answer is ~100 KiB, 20 MB for all queries.
    const payload = { type: 'json' as const, data: 'x'.repeat(1000) };
    const events = Array.from({ length: 100 }, (_, i) => ({ type: ['big', String(i)], payload }));
    await good.register(events, { withResponse: true });
    const markerStored = async () =>
      (await good.query({ type: 'latest', eventTypes: [['marker']] })).events.length > 0;

    const [socket, serverSide] = await capturingConnections(async (created) => {
      const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' });
      socket.pause(); // never reads, for now
      for (const frame of requests()) socket.write(frame);
      await until(() => created.length > 0);
      return [socket, created[0] as ChatterConnection] as const;
    });
    t.after(() => socket.destroy());
    await until(async () => serverSide.isReceivePaused || (await markerStored()));

    assert.equal(await markerStored(), false, 'the server read past answers nobody reads');
    assert.equal(serverSide.isReceivePaused, true);
    const answerBytes = 120 * 1024;
    assert.ok(
      serverSide.writableBytes <= MAX_SEND_QUEUE_BYTES + answerBytes,
      `${serverSide.writableBytes} bytes waiting`,
    );
    // Other clients are served meanwhile.
    assert.equal(
      (await good.query({ type: 'latest', eventTypes: [['big', '7']] })).events.length,
      1,
    );

    assert.equal(await readFrames(socket, QUERIES + 2), QUERIES + 2);
    await until(markerStored);
    assert.equal(await markerStored(), true);
  });
});
