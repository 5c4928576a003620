import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

import { openSystemApplication } from '@eventum/sourcing';
import type { ParkedEvent, StoredStatus } from '@eventum/sourcing';
import { requireService, testPgUrl } from '@eventum/testing';
import pg from 'pg';

import { system } from './system-fixture.js';
import type { Notes } from './system-fixture.js';
import { mainPath, runCli } from './testing.js';

const hasPg = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('eventum system', (t) => t.skip(reason));
});
const fixture = fileURLToPath(new URL('./system-fixture.js', import.meta.url));
const schema = `cli_system_${randomBytes(4).toString('hex')}`;
const env = {
  PERSISTENCE_MODULE: 'postgres',
  POSTGRES_URL: testPgUrl,
  POSTGRES_SCHEMA: schema,
  POSTGRES_POOL_SIZE: '2',
};
if (hasPg) {
  after(async () => {
    const client = new pg.Client(testPgUrl);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
}

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(['system', ...args, fixture], undefined, { env: { ...process.env, ...env, ...extra } });

async function statusOf(): Promise<StoredStatus> {
  const { code, stdout, stderr } = await cli(['status', '--json']);
  assert.equal(code, 0, stderr);
  return (JSON.parse(stdout) as StoredStatus[])[0]!;
}

/** Starts `eventum system run FIXTURE --app flaky`; `ready` resolves on its ready line. */
function runFlaky(t: { after: (fn: () => void) => void }): {
  child: ReturnType<typeof spawn>;
  ready: Promise<void>;
  waiting: Promise<void>;
} {
  const child = spawn(
    process.execPath,
    [
      mainPath,
      'system',
      'run',
      fixture,
      '--app',
      'flaky',
      '--wake',
      'pg',
      '--poll-ms',
      '100',
      '--retries',
      '1',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Its log lines, read to the end so it never blocks on a full pipe.
  const waiting = new Promise<void>((resolve) => {
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (line.includes('waiting for the run lock')) resolve();
    });
  });
  t.after(() => child.kill('SIGKILL'));
  const ready = once(createInterface({ input: child.stdout }), 'line').then(([line]) => {
    assert.equal((JSON.parse(line as string) as { ready: string }).ready, 'flaky');
  });
  ready.catch(() => undefined);
  return { child, ready, waiting };
}

async function caughtUp(): Promise<StoredStatus> {
  for (let s = await statusOf(); ; s = await statusOf()) {
    if (s.lag === 0) return s;
    await delay(100);
  }
}

describe('eventum system run, status, parked, replay', { skip: !hasPg }, () => {
  it('parks what a policy cannot process, lists it, and replays it once the cause is fixed', async (t) => {
    const { child, ready } = runFlaky(t);
    await ready;

    const notes = (await openSystemApplication(system, 'notes', { env })) as Notes;
    t.after(() => notes.close());
    await notes.write('a', 'good');
    const bad = await notes.write('b', 'bad');
    await notes.write('c', 'after');
    for (let s = await statusOf(); s.lag > 0 || s.parked === 0; s = await statusOf())
      await delay(100);
    const s = await statusOf();
    assert.deepEqual(
      [s.application, s.leader, s.lag, s.parked, s.state],
      ['flaky', 'notes', 0, 1, 'caught-up'],
    );

    const listed = await cli(['parked', '--app', 'flaky']);
    const parked = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ParkedEvent);
    assert.deepEqual(
      parked.map((p) => [p.leader, p.notificationId, p.topic, p.attempts]),
      [['notes', bad, 'Noted', 2]],
    );
    assert.match(parked[0]!.error, /cannot take bad/);

    const replay = ['replay', '--app', 'flaky', '--leader', 'notes', '--id', String(bad)];
    const failed = await cli(replay);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /cannot take bad/);
    const fixed = await cli(replay, { FLAKY_FIXED: '1' });
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal((await cli(replay, { FLAKY_FIXED: '1' })).code, 1, 'a second replay is refused');
    assert.equal((await cli(['parked', '--app', 'flaky'])).stdout, '');
    const all = await cli(['parked', '--app', 'flaky', '--all']);
    assert.equal((JSON.parse(all.stdout) as ParkedEvent).resolution, 'replayed');

    const table = await cli(['status']);
    assert.match(
      table.stdout,
      /^APPLICATION\s+LEADER\s+POSITION\s+LEADER MAX\s+LAG\s+PARKED\s+STATE\n/,
    );
    assert.match(table.stdout, /\nflaky\s+notes\s+\d+\s+\d+\s+0\s+0\s+caught-up\n$/);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  it('names what is wrong on the command line', async () => {
    const noApp = await cli(['run']);
    assert.equal(noApp.code, 2);
    assert.match(noApp.stderr, /--app is required/);
    const unknown = await cli(['run', '--app', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no application "nope"/);
    const badThen = await cli(['run', '--app', 'flaky', '--then', 'skip']);
    assert.equal(badThen.code, 2);
    assert.match(badThen.stderr, /--then must be park or stop/);
    const notFollower = await cli(['parked', '--app', 'notes']);
    assert.equal(notFollower.code, 2);
  });

  it('runs one process per follower: a second waits as a standby and takes over', async (t) => {
    const first = runFlaky(t);
    await first.ready;
    const second = runFlaky(t);
    const notes = (await openSystemApplication(system, 'notes', { env })) as Notes;
    t.after(() => notes.close());
    const before = await notes.write(`s-${randomBytes(4).toString('hex')}`, 'one');
    assert.ok((await caughtUp()).position >= before);
    await second.waiting;
    const standing = await Promise.race([second.ready.then(() => 'ready'), delay(1000, 'waiting')]);
    assert.equal(standing, 'waiting', 'the second process waits while the first holds the lock');
    first.child.kill('SIGKILL');
    await second.ready;
    const after = await notes.write(`s-${randomBytes(4).toString('hex')}`, 'two');
    assert.ok((await caughtUp()).position >= after);
  });

  it('system start runs every application as its own process and stops them on SIGTERM', async (t) => {
    const child = spawn(
      process.execPath,
      [mainPath, 'system', 'start', fixture, '--wake', 'pg', '--poll-ms', '100'],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stderr.resume(); // the applications' log lines
    t.after(() => child.kill('SIGKILL'));
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    assert.deepEqual(JSON.parse(line), { ready: ['flaky', 'notes'] });
    const notes = (await openSystemApplication(system, 'notes', { env })) as Notes;
    t.after(() => notes.close());
    const position = await notes.write(`st-${randomBytes(4).toString('hex')}`, 'started');
    assert.ok((await caughtUp()).position >= position);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
