import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { connect as connectSocket } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { tempDir, waitFor } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';

/** Opens `count` raw connections; resolves once each is either open or closed by the server. */
async function flood(port: number, count: number): Promise<{ sockets: Socket[]; closed: number }> {
  const sockets: Socket[] = [];
  const state = { closed: 0 };
  for (let i = 0; i < count; i++) {
    const socket = connectSocket({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.on('close', () => state.closed++);
    sockets.push(socket);
    await once(socket, 'connect');
  }
  return { sockets, closed: state.closed };
}

describe('eventum server at its connection limits (real processes)', () => {
  it('max_connections from the configuration refuses the connection past it, and logs it', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      'eventer_server: {port: 0, max_connections: 1}\nbackend: {type: memory}\n',
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const { sockets } = await flood(server.port, 1);
    t.after(() => sockets.forEach((s) => s.destroy()));
    const extra = connectSocket({ port: server.port, host: '127.0.0.1' });
    extra.on('error', () => undefined);
    await once(extra, 'close');
    await waitFor(() => server.log.some((l) => l.includes('max_connections reached')));
    const line = server.log.find((l) => l.includes('max_connections reached')) as string;
    assert.equal((JSON.parse(line) as Record<string, unknown>)['max_connections'], 1);
    assert.equal(server.child.exitCode, null);
  });

  it('under ulimit -n 64 it refuses what does not fit, logs why, and keeps serving', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(conf, 'eventer_server: {port: 0}\nbackend: {type: lmdb, db_path: x.db}\n');
    const server = await startServerProcess(['--conf', conf], { openFiles: 64 });
    t.after(() => server.child.kill('SIGKILL'));
    const { sockets } = await flood(server.port, 100);
    t.after(() => sockets.forEach((s) => s.destroy()));
    const logged = (): string | undefined =>
      server.log.find((line) => line.includes('connection refused: open-files limit reached'));
    await waitFor(() => logged() !== undefined);
    const line = JSON.parse(logged() as string) as Record<string, unknown>;
    assert.equal(line['level'], 'warn');
    assert.equal(line['open_files_limit'], 64);
    assert.ok(server.log.some((l) => l.includes('the open-files limit caps connections')));

    sockets.forEach((s) => s.destroy());
    await waitFor(async () => {
      const outcome = await runCli(['register', '--port', String(server.port), 'after/flood', '1']);
      return outcome.code === 0;
    });
    assert.equal(server.child.exitCode, null, 'the server is still running');
  });
});
