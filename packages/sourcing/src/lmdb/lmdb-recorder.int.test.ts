import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { recorderContract, storedEvent, tempDir } from '@eventum/testing';

import { createLmdbRecorders } from './lmdb-recorders.js';

const dir = await tempDir('eventum-sourcing-lmdb-');
after(() => dir.remove());
let files = 0;
const openWith = (durability: 'synced' | 'deferred') =>
  createLmdbRecorders({ path: join(dir.path, `r${++files}.mdb`), name: 'app', durability });
const open = () => openWith('synced');

recorderContract('lmdb', open);
recorderContract('lmdb deferred', () =>
  createLmdbRecorders({
    path: join(dir.path, `r${++files}.mdb`),
    name: 'app',
    durability: 'deferred',
  }),
);

/** A child process that appends `count` events to a deferred file, says so, and waits. */
function deferredWriter(path: string, count: number) {
  const module = new URL('./lmdb-recorders.js', import.meta.url).href;
  const script = `
    const { createLmdbRecorders } = await import(${JSON.stringify(module)});
    const r = await createLmdbRecorders({ path: ${JSON.stringify(path)}, name: 'app', durability: 'deferred' });
    for (let v = 1; v <= ${count}; v++) {
      await r.events.insertEvents([{ originatorId: 'a', originatorVersion: v, topic: 'T', eventId: 'e' + v, state: new Uint8Array([v]) }]);
    }
    process.stdout.write('stored\\n');
    setInterval(() => undefined, 1000);`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe('LMDB recorders', () => {
  it('keeps events, tracking and snapshots across close and reopen, apart per application', async () => {
    const path = join(dir.path, 'reopen.mdb');
    const first = await createLmdbRecorders({ path, name: 'bank' });
    const other = await createLmdbRecorders({ path, name: 'other' });
    const ids = await first.events.insertEvents([storedEvent('a', 1), storedEvent('a', 2)], {
      tracking: { applicationName: 'up', notificationId: 3 },
    });
    await first.snapshots.insertEvents([storedEvent('a', 2, 'Account')]);
    assert.equal(await other.events.maxNotificationId(), 0);
    await first.close();
    await other.close();
    const second = await createLmdbRecorders({ path, name: 'bank' });
    assert.equal(await second.events.maxNotificationId(), ids[1]);
    assert.equal((await second.events.selectEvents('a')).length, 2);
    assert.equal(await second.events.maxTrackingId('up'), 3);
    assert.equal((await second.snapshots.selectEvents('a'))[0]?.topic, 'Account');
    await second.close();
  });

  it('deferred: an append that resolved survives a crash of the process (SIGKILL)', async () => {
    const path = join(dir.path, 'crash.mdb');
    const child = deferredWriter(path, 50);
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    assert.equal(chunk.toString().trim(), 'stored');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const reopened = await createLmdbRecorders({ path, name: 'app' });
    assert.equal(await reopened.events.maxNotificationId(), 50);
    assert.equal((await reopened.events.selectEvents('a')).length, 50);
    await reopened.close();
  });

  for (const durability of ['synced', 'deferred'] as const) {
    it(`${durability}: commits the inserts of one turn together; a conflicting one fails alone`, async () => {
      const r = await openWith(durability);
      await r.events.insertEvents([storedEvent('x', 1)]);
      const outcomes = await Promise.allSettled([
        r.events.insertEvents([storedEvent('a', 1)]),
        r.events.insertEvents([storedEvent('x', 1)]),
        r.events.insertEvents([storedEvent('b', 1), storedEvent('b', 2)]),
        r.events.insertEvents([storedEvent('a', 1)]),
        r.events.insertEvents([storedEvent('c', 1)], {
          tracking: { applicationName: 'up', notificationId: 1 },
        }),
        r.events.insertEvents([storedEvent('d', 1)], {
          tracking: { applicationName: 'up', notificationId: 1 },
        }),
      ]);
      const codes = outcomes.map((o) =>
        o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code,
      );
      assert.deepEqual(codes, ['ok', 'ERR_CONFLICT', 'ok', 'ERR_CONFLICT', 'ok', 'ERR_CONFLICT']);
      const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
      assert.deepEqual(ids, [2, 3, 4, 5]);
      assert.equal((await r.events.selectEvents('d')).length, 0);
      assert.equal(await r.events.maxNotificationId(), 5);
      await r.close();
    });
  }

  it('a group aborted by a storage error fails all its inserts and leaves no gap in the ids', async () => {
    const r = await openWith('deferred');
    assert.deepEqual(await r.events.insertEvents([storedEvent('a', 1)]), [1]);
    // A key longer than LMDB allows makes lmdb-js throw inside the shared transaction.
    const outcomes = await Promise.allSettled([
      r.events.insertEvents([storedEvent('b', 1)]),
      r.events.insertEvents([storedEvent('x'.repeat(3000), 1)]),
    ]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'ok')),
      ['ERR_BACKEND', 'ERR_BACKEND'],
    );
    assert.deepEqual(await r.events.insertEvents([storedEvent('c', 1)]), [2]);
    assert.deepEqual(await r.events.insertEvents([storedEvent('c', 2)]), [3]);
    assert.equal((await r.events.selectEvents('b')).length, 0);
    await r.close();
  });

  it('deferred: a closed loop of appends lets the event loop turn now and then', async () => {
    const r = await openWith('deferred');
    let turned = 0;
    let stopped = false;
    const spin = () => {
      turned++;
      if (!stopped) setImmediate(spin);
    };
    setImmediate(spin);
    for (let v = 1; v <= 400; v++) await r.events.insertEvents([storedEvent('loop', v)]);
    const turns = turned;
    stopped = true;
    // One turn at least every 33 commits (none at all if every commit ran as a microtask).
    assert.ok(turns >= 10, `the event loop turned ${turns} times during 400 appends`);
    assert.equal(await r.events.maxNotificationId(), 400);
    await r.close();
  });
});
