import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { tempDir } from '@eventum/testing';

import { mainPath, runCli } from './testing.js';
import type { Outcome } from './testing.js';

/** Runs `eventum server --conf <path>` as the unprivileged user `nobody` (we run as root). */
async function runAsNobody(conf: string): Promise<Outcome> {
  const args = ['-u', 'nobody', '--', process.execPath, mainPath, 'server', '--conf', conf];
  const child = spawn('runuser', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function assertNoStack(outcome: Outcome): void {
  assert.doesNotMatch(outcome.stderr, /\n\s+at /, `no stack trace in:\n${outcome.stderr}`);
}

describe('eventum server: configuration problems', () => {
  it('reports top-level and backend problems in one go, with their paths', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      'server_id: -1\neventer_server: {port: 70000}\nbackend: {type: lmdb, flush_period: 0}\n',
    );
    const outcome = await runCli(['server', '--conf', conf]);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /^ERR_CONFIG: invalid configuration:\n/);
    for (const path of ['/server_id', '/eventer_server/port', '/backend/flush_period']) {
      assert.match(outcome.stderr, new RegExp(`\\n  ${path}: `), path);
    }
    assertNoStack(outcome);
  });

  for (const [type, field] of [
    ['lmdb', 'db_path: afile/sub/eventum.db'],
    ['textlog', 'path: afile/sub/log'],
  ] as const) {
    it(`${type}: a data directory under a file is ERR_CONFIG naming it, exit 1, no stack`, async (t) => {
      const dir = await tempDir();
      t.after(() => dir.remove());
      await writeFile(join(dir.path, 'afile'), 'not a directory');
      const conf = join(dir.path, 'server.yaml');
      await writeFile(conf, `eventer_server: {port: 0}\nbackend: {type: ${type}, ${field}}\n`);
      const outcome = await runCli(['server', '--conf', conf]);
      assert.equal(outcome.code, 1);
      assert.match(
        outcome.stderr,
        /^ERR_CONFIG: cannot create the storage directory .*\/afile\/sub.* \(ENOTDIR: /,
      );
      assertNoStack(outcome);
    });
  }

  it('a data directory without permission is ERR_CONFIG naming it (EACCES)', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to run the server as the user nobody');
      return;
    }
    const dir = await tempDir();
    t.after(() => dir.remove());
    await chmod(dir.path, 0o755);
    await mkdir(join(dir.path, 'private'), { mode: 0o700 });
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      `eventer_server: {port: 0}\nbackend: {type: lmdb, db_path: private/sub/x.db}\n`,
    );
    await chmod(conf, 0o644);
    const outcome = await runAsNobody(conf);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(
      outcome.stderr,
      /^ERR_CONFIG: cannot create the storage directory .*\/private\/sub \(EACCES: permission denied\)/,
    );
    assertNoStack(outcome);
  });
});
