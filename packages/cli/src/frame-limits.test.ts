import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { Event } from '@eventum/core';
import { tempDir, waitFor } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';

// Issue 12, defect 2, with the real server process, the CLI and a subscribed client, all with
// 64 KiB frames: nothing the server sends may be larger than what its clients accept.
const FRAME = 64 * 1024;

describe('eventum server: frame size end to end', () => {
  it('refuses an event over the maximum size, notifies and pages the rest within frames', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    const db = join(dir.path, 'events.db');
    await writeFile(
      conf,
      [
        'eventer_server: {host: 127.0.0.1, port: 0, max_frame_size: 65536}',
        `backend: {type: lmdb, db_path: ${JSON.stringify(db)}}`,
      ].join('\n'),
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const port = String(server.port);
    const seen: Event[] = [];
    const subscriber = await connect({
      port: server.port,
      clientName: 'subscriber',
      subscriptions: [['big', '*']],
      maxFrameSize: FRAME,
      onEvents: (events) => void seen.push(...events),
    });
    t.after(() => subscriber.close());
    const register = async (type: string, chars: number) => {
      const path = join(dir.path, `${type}.json`);
      await writeFile(path, JSON.stringify('x'.repeat(chars)));
      return runCli(['register', '--port', port, '--payload-path', path, `big/${type}`]);
    };

    const tooBig = await register('a', FRAME - 200);
    assert.equal(tooBig.code, 1);
    assert.match(tooBig.stderr, /refused the registration/);
    await waitFor(() => server.log.some((line) => line.includes('exceeds the maximum event size')));
    assert.equal((await register('b', FRAME - 400)).code, 0);
    for (const type of ['c', 'd']) assert.equal((await register(type, 40_000)).code, 0);
    await waitFor(() => seen.length === 3);
    assert.equal(subscriber.isClosed, false);

    const latest = await runCli(['query', 'latest', '--port', port, 'big/*']);
    const page = JSON.parse(latest.stdout) as { events: unknown[]; more_follows: boolean };
    assert.equal(page.events.length, 1);
    assert.equal(page.more_follows, true);
    const all = await subscriber.query({ type: 'timeseries', eventTypes: [['big', '*']] });
    assert.equal(all.events.length, 1);
    assert.equal(all.moreFollows, true);
    assert.equal(await server.stop('SIGTERM'), 0);
  });
});
