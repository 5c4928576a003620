import assert from 'node:assert/strict';
import { connect as connectSocket } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';

import { recordingLogger } from '@eventum/testing';
import type { LogLine } from '@eventum/testing';

import { startServer } from './testing/server-fixture.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ascii = (text: string): string => Buffer.from(text, 'ascii').toString('hex');
/** hat-event.md §2.2's golden MsgInitReq frame (client name "c"). */
const INIT_FRAME = hex(
  `01 25 81 81 01 01 00 95 ${ascii('HatEventer.MsgInitReq')} 89 81 63 80 81 81 81 2a 80 00`,
);

/** Opens a raw socket, writes `bytes`, and resolves with its local port once the server closed it. */
function sendAndAwaitClose(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connectSocket({ port, host: '127.0.0.1' }, () => {
      const local = socket.localPort ?? 0;
      socket.on('close', () => resolve(local));
      socket.write(bytes);
    });
    socket.on('data', () => undefined);
    socket.once('error', reject);
  });
}

const closeLines = (lines: LogLine[]): LogLine[] =>
  lines.filter((l) => l.message === 'eventer connection closed');

describe('eventer server: why a connection closed', () => {
  it('logs the code, reason and peer of bad framing, a few times, then how many were suppressed', async () => {
    const { logger, lines } = recordingLogger();
    const server = await startServer({ logger, logLimits: { burst: 3 } });
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) {
      ports.push(await sendAndAwaitClose(server.address.port, hex('09 ff ff ff ff')));
    }
    await server.close();
    const closes = closeLines(lines);
    assert.equal(closes.length, 3);
    for (const line of closes) {
      assert.equal(line.level, 'warn');
      assert.equal(line.fields['code'], 'ERR_PROTOCOL');
      assert.match(String(line.fields['reason']), /invalid length size m = 9/);
      const peer = String(line.fields['peer']);
      assert.ok(
        ports.some((p) => peer === `127.0.0.1:${p}`),
        peer,
      );
    }
    const summary = lines.filter((l) => l.message.endsWith('more suppressed'));
    assert.deepEqual(
      summary.map((l) => l.message),
      ['eventer connection closed: 17 more suppressed'],
    );
  });

  it('logs an oversized frame with its limit', async () => {
    const { logger, lines } = recordingLogger();
    const server = await startServer({ logger, chatter: { maxFrameSize: 1024 } });
    await sendAndAwaitClose(server.address.port, hex('02 10 00'));
    await server.close();
    const [line] = closeLines(lines);
    assert.equal(line?.fields['code'], 'ERR_PROTOCOL');
    assert.match(String(line?.fields['reason']), /exceeds the limit of 1024 bytes/);
  });

  it('logs a keep-alive time-out with the client’s name', async () => {
    const { logger, lines } = recordingLogger();
    const chatter = { pingDelayMs: 20, pingTimeoutMs: 20 };
    const server = await startServer({ logger, chatter });
    // Sends init, then never answers the server's pings.
    await sendAndAwaitClose(server.address.port, INIT_FRAME);
    await server.close();
    const [line] = closeLines(lines);
    assert.equal(line?.fields['code'], 'ERR_TIMEOUT');
    assert.equal(line?.fields['client'], 'c');
    assert.match(String(line?.fields['reason']), /keep-alive/);
  });

  it('logs an orderly end only at debug level', async () => {
    const { logger, lines } = recordingLogger();
    const server = await startServer({ logger });
    await new Promise<void>((resolve) => {
      const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' }, () =>
        socket.end(),
      );
      socket.on('close', () => resolve());
    });
    await server.close();
    assert.equal(closeLines(lines).length, 0);
    assert.ok(lines.some((l) => l.message === 'eventer connection ended' && l.level === 'debug'));
  });
});
