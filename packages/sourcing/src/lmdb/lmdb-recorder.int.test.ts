import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { recorderContract, storedEvent, tempDir } from '@eventum/testing';

import { createLmdbRecorders } from './lmdb-recorders.js';

const dir = await tempDir('eventum-sourcing-lmdb-');
after(() => dir.remove());
let files = 0;
const open = () => createLmdbRecorders({ path: join(dir.path, `r${++files}.mdb`), name: 'app' });

recorderContract('lmdb', open);

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

  it('commits the inserts of one turn together; a conflicting one fails alone', async () => {
    const r = await open();
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
});
