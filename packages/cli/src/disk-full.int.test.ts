import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { Event } from '@eventum/core';
import { sizedFilesystem, tempDir, waitFor } from '@eventum/testing';

import { startServerProcess } from './testing.js';

const MiB = 1024 * 1024;
const payload = { type: 'json', data: 'x'.repeat(50_000) } as const;

function registerOne(client: EventerClient, n: number): Promise<readonly Event[] | null> {
  return client.register([{ type: ['fill', String(n)], payload }], { withResponse: true });
}

describe('eventum server on a full disk (a real process on a 2 MiB tmpfs)', () => {
  it('answers registrations with failure, stays up, loses nothing, and recovers', async (t) => {
    const fs = await sizedFilesystem(2 * MiB);
    if (typeof fs === 'string') return void t.skip(fs);
    t.after(() => fs.remove());
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      `eventer_server: {port: 0}\nbackend: {type: lmdb, db_path: ${fs.path}/x.db, flush_period: 0.02}\n`,
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const client = await connect({ port: server.port, clientName: 'filler' });
    t.after(() => client.close());

    // Register until the server answers failure: the disk is full.
    const acknowledged: string[] = [];
    for (let n = 1; n < 500; n++) {
      const result = await registerOne(client, n);
      if (result === null) break;
      acknowledged.push(result.map((e) => e.type.join('/')).join());
      await new Promise((resolve) => setTimeout(resolve, 30)); // let each flush run
    }
    assert.ok(acknowledged.length > 5 && acknowledged.length < 499, `${acknowledged.length}`);
    assert.ok(server.log.some((l) => l.includes('storage failing')));
    assert.equal(await registerOne(client, 1000), null, 'still refused while the disk is full');
    assert.equal(server.child.exitCode, null, 'the server stays up');
    const latest = await client.query({ type: 'latest', eventTypes: [['fill', '*']] });
    assert.equal(latest.events.length, acknowledged.length, 'queries still answer everything');

    await fs.resize(16 * MiB);
    await waitFor(async () => (await registerOne(client, 2000)) !== null, { timeoutMs: 10_000 });
    assert.ok(server.log.some((l) => l.includes('storage recovered')));

    await client.close();
    assert.equal(await server.stop('SIGTERM'), 0);
    const restarted = await startServerProcess(['--conf', conf]);
    t.after(() => restarted.child.kill('SIGKILL'));
    const reader = await connect({ port: restarted.port, clientName: 'reader' });
    t.after(() => reader.close());
    const stored = await reader.query({ type: 'latest', eventTypes: [['fill', '*']] });
    const types = new Set(stored.events.map((e) => e.type.join('/')));
    for (const type of acknowledged) assert.ok(types.has(type), `acknowledged ${type} kept`);
    assert.equal(types.has('fill/1000'), false, 'the refused registration was not stored');
    assert.ok(types.has('fill/2000'));
  });
});
