import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { tempDir } from '@eventum/testing';
import type { TempDir } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';
import type { ServerProcess } from './testing.js';

/** Writes a configuration for `backend` listening on a free port; returns its path. */
async function config(dir: TempDir, name: string, backend: string): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, `eventer_server: {port: 0}\nbackend: ${backend}\n`);
  return path;
}

async function start(conf: string, t: { after(fn: () => unknown): void }): Promise<ServerProcess> {
  const server = await startServerProcess(['--conf', conf]);
  t.after(() => server.child.kill('SIGKILL'));
  return server;
}

async function registerOn(server: ServerProcess, type: string): Promise<number | null> {
  const outcome = await runCli(['register', '--port', String(server.port), type, '1']);
  return outcome.code;
}

describe('one storage, one server (two real processes)', () => {
  it('LMDB: a second server on the same file refuses with ERR_LOCKED; tools still read it', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    await mkdir(join(dir.path, 'data'));
    // The second server names the same file through a symlinked directory.
    await symlink(join(dir.path, 'data'), join(dir.path, 'alias'));
    const first = await start(await config(dir, 'a.yaml', '{type: lmdb, db_path: data/x.db}'), t);
    const secondConf = await config(dir, 'b.yaml', '{type: lmdb, db_path: alias/x.db}');
    await symlink(join(dir.path, 'data', 'x.db'), join(dir.path, 'linked.db'));
    const thirdConf = await config(dir, 'c.yaml', '{type: lmdb, db_path: linked.db}');

    const refused = await runCli(['server', '--conf', secondConf]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ERR_LOCKED: .*data\/x\.db is in use by process (\d+)/);
    assert.match(refused.stderr, new RegExp(`process ${first.child.pid} `));
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
    const viaFileLink = await runCli(['server', '--conf', thirdConf]);
    assert.equal(viaFileLink.code, 1);
    assert.match(viaFileLink.stderr, /^ERR_LOCKED: .*data\/x\.db is in use/);

    assert.equal(await registerOn(first, 'after/refusal'), 0, 'the first server still serves');
    const inspect = await runCli(['lmdb', 'inspect', '--db', join(dir.path, 'data', 'x.db')]);
    assert.equal(inspect.code, 0, inspect.stderr);
    const query = await runCli(['lmdb', 'query', '--db', join(dir.path, 'data', 'x.db'), 'latest']);
    assert.equal(query.code, 0, query.stderr);
  });

  it('LMDB: the lock of a SIGKILLed server does not block a restart, which keeps its data', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = await config(
      dir,
      'a.yaml',
      '{type: lmdb, db_path: data/x.db, flush_period: 0.01}',
    );
    const first = await start(conf, t);
    assert.equal(await registerOn(first, 'before/kill'), 0);
    const flushed = await runCli([
      'lmdb',
      'query',
      '--db',
      join(dir.path, 'data', 'x.db'),
      'latest',
    ]);
    assert.equal(flushed.code, 0, flushed.stderr);
    assert.equal(await first.stop('SIGKILL'), null);

    const restarted = await start(conf, t);
    const latest = await runCli([
      'query',
      'latest',
      '--port',
      String(restarted.port),
      'before/kill',
    ]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.match(latest.stdout, /before/);
  });

  it('textlog: a second server on the same directory refuses; after a stop it starts', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = await config(dir, 'a.yaml', '{type: textlog, path: log}');
    const first = await start(conf, t);
    const refused = await runCli(['server', '--conf', conf]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ERR_LOCKED: .*\/log is in use by process \d+/);

    const other = await start(await config(dir, 'b.yaml', '{type: textlog, path: other}'), t);
    assert.equal(await registerOn(other, 'other/dir'), 0, 'other storage is not locked');
    assert.equal(await first.stop('SIGTERM'), 0);
    const second = await start(conf, t);
    assert.equal(await registerOn(second, 'after/stop'), 0);
  });
});
