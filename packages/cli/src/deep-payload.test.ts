import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { createLmdbBackend } from '@eventum/backend-lmdb';
import { jsonText, makeEvent, tempDir } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';

// Issue 12, defect 1: a payload nested 8,000 levels deep, stored by a version that did not limit
// depth (it came as text from a raw client). The server answers every query with the stored
// bytes, and the CLI prints it instead of dying with a RangeError.
describe('eventum query: a payload stored deeper than JSON.stringify can write', () => {
  it('is printed by query latest, timeseries and server, across a restart', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const dbPath = join(dir.path, 'events.db');
    const text = `${'['.repeat(8000)}"deep"${']'.repeat(8000)}`;
    const backend = await createLmdbBackend({ db_path: dbPath }, {});
    await backend.register([makeEvent(1, 1, 1, ['deep'], { payload: jsonText(text) })]);
    await backend.close();
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      [
        'server_id: 1',
        'eventer_server: {host: 127.0.0.1, port: 0}',
        `backend: {type: lmdb, db_path: ${JSON.stringify(dbPath)}}`,
      ].join('\n'),
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const port = String(server.port);
    for (const query of [['timeseries'], ['latest', 'deep'], ['server', '1']]) {
      const outcome = await runCli(['query', ...query, '--port', port]);
      assert.equal(outcome.code, 0, `${query[0]}: ${outcome.stderr}`);
      assert.ok(outcome.stdout.includes(text), `${query[0]} prints the payload`);
      assert.ok(!outcome.stderr.includes('RangeError'));
    }
    assert.equal(await server.stop('SIGTERM'), 0);
  });
});
