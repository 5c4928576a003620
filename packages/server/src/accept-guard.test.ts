import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as connectSocket, createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

import { recordingLogger, waitFor } from '@eventum/testing';

import { connectionBudget, guardAccepts } from './accept-guard.js';
import { LogLimiter } from './log-limiter.js';
import { initPeer, startServer } from './testing/server-fixture.js';

/** Opens a raw TCP connection and resolves with the bytes received before it closed. */
async function refusedBytes(port: number): Promise<number> {
  const socket = connectSocket({ port, host: '127.0.0.1' });
  let received = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.length));
  socket.on('error', () => undefined);
  await once(socket, 'close');
  return received;
}

describe('eventer server at its limits', () => {
  it('refuses connections past max_connections, logs it, and accepts again once one leaves', async (t) => {
    const { logger, lines } = recordingLogger();
    const server = await startServer({ maxConnections: 2, logger });
    t.after(() => server.close());
    const first = await initPeer(server, { clientName: 'first' });
    const second = await initPeer(server, { clientName: 'second' });
    t.after(() => second.peer.chatter.close());

    assert.equal(await refusedBytes(server.address.port), 0, 'closed at once, nothing sent');
    const refusal = lines.find((l) => l.message === 'connection refused: max_connections reached');
    assert.ok(refusal, lines.map((l) => l.message).join('\n'));
    assert.equal(refusal.level, 'warn');
    assert.equal(refusal.fields['max_connections'], 2);

    await first.peer.chatter.close();
    await waitFor(() => [...server.eventerServer.getClientNames()].length === 1);
    // The listener counts a socket until it has fully closed: retry until the slot is free.
    let third: Awaited<ReturnType<typeof initPeer>> | null = null;
    await waitFor(async () => {
      third = await initPeer(server, { clientName: 'third' }).catch(() => null);
      return third !== null;
    });
    t.after(() => third?.peer.chatter.close());
    assert.equal(third!.response.type, 'HatEventer.MsgInitRes');
    assert.equal(server.isClosed, false);
  });

  it('logs an accept that ran out of file descriptors and keeps listening', async (t) => {
    const { logger, lines } = recordingLogger();
    const fatal: Error[] = [];
    const net = createNetServer((socket) => socket.end('ok'));
    const limiter = new LogLimiter(logger, { burst: 1 });
    t.after(() => limiter.close());
    guardAccepts(net, {
      maxConnections: 10,
      logger,
      limiter,
      openConnections: () => 0,
      onFatal: (error) => fatal.push(error),
    });
    net.listen(0, '127.0.0.1');
    await once(net, 'listening');
    t.after(() => net.close());
    // How Node reports a failed accept(2): an 'error' event on the listener.
    for (const code of ['EMFILE', 'EMFILE', 'ENFILE']) {
      net.emit('error', Object.assign(new Error(`accept ${code}`), { code, syscall: 'accept' }));
    }
    const logged = lines.filter((l) => l.message.startsWith('connection refused: out of file'));
    assert.equal(logged.length, 1, 'repeats past the burst are counted, not written');
    assert.equal(logged[0]?.level, 'error');
    assert.equal(logged[0]?.fields['code'], 'EMFILE');
    assert.deepEqual(fatal, []);
    assert.equal(net.listening, true);
    const port = (net.address() as AddressInfo).port;
    const socket = connectSocket({ port, host: '127.0.0.1' });
    const [data] = (await once(socket, 'data')) as [Buffer];
    assert.equal(data.toString(), 'ok');

    net.emit('error', Object.assign(new Error('other'), { code: 'EINVAL', syscall: 'listen' }));
    assert.equal(fatal.length, 1, 'any other listener error is fatal');
  });

  it('leaves room for storage and threads below the open-files limit', () => {
    assert.equal(connectionBudget(1024), 960);
    assert.equal(connectionBudget(64), 32);
    assert.equal(connectionBudget(1), 1);
  });
});
