import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { session } from '@eventum/testing';

import { closeEnvironment, openEnvironment } from './environment.js';
import { u64Key } from './keys.js';
import { idsOf, lmdbHarness } from './testing/harness.js';
import { inspectLmdb } from './tools/inspect.js';

describe('lmdb backend: storage guards', () => {
  it('writes version 0.9 and refuses a file of another version with ERR_UNSUPPORTED', async (t) => {
    const h = await lmdbHarness(t);
    await (await h.open()).backend.close();
    assert.equal((await inspectLmdb(h.dbPath)).settings.version, '0.9');
    const env = await openEnvironment(h.dbPath);
    env.dbs.SYSTEM_SETTINGS.putSync(u64Key(0), Buffer.from('"0.7"'));
    await closeEnvironment(env);
    await assert.rejects(
      h.open(),
      (e) => isEventumError(e, 'ERR_UNSUPPORTED') && /0\.7/.test(String(e)),
    );
  });

  it('refuses a file that is not LMDB with ERR_UNSUPPORTED instead of crashing', async (t) => {
    const h = await lmdbHarness(t);
    for (const content of ['', 'not an lmdb file at all, just text'.repeat(200)]) {
      await writeFile(h.dbPath, content);
      await assert.rejects(h.open(), (e) => isEventumError(e, 'ERR_UNSUPPORTED'));
      await assert.rejects(inspectLmdb(h.dbPath), (e) => isEventumError(e, 'ERR_UNSUPPORTED'));
    }
  });

  it('stores the identifier, refuses another with ERR_CONFIG, and null removes it', async (t) => {
    const h = await lmdbHarness(t);
    await (await h.open({ identifier: 'plant-a' })).backend.close();
    assert.equal((await inspectLmdb(h.dbPath)).settings.identifier, 'plant-a');
    await assert.rejects(
      h.open({ identifier: 'plant-b' }),
      (e) => isEventumError(e, 'ERR_CONFIG') && /plant-a/.test(String(e)),
    );
    await (await h.open({ identifier: 'plant-a' })).backend.close();
    await (await h.open({ identifier: null })).backend.close();
    assert.equal((await inspectLmdb(h.dbPath)).settings.identifier, null);
    await (await h.open({ identifier: 'plant-b' })).backend.close();
    assert.equal((await inspectLmdb(h.dbPath)).settings.identifier, 'plant-b');
  });

  it('refuses two partitions with the same order and subscriptions', async (t) => {
    const h = await lmdbHarness(t);
    const partition = { order_by: 'TIMESTAMP', subscriptions: [['a', '*']] } as const;
    await assert.rejects(
      h.open({ timeseries: [partition, { ...partition, limit: { max_entries: 1 } }] }),
      (e) => isEventumError(e, 'ERR_CONFIG') && /timeseries\/1/.test(String(e)),
    );
  });

  it('rejects bad numbers with ERR_INVALID_ARGUMENT', async (t) => {
    const h = await lmdbHarness(t);
    await assert.rejects(h.open({ flush_period: 0 }), (e) =>
      isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
    await assert.rejects(h.open({ timeseries_max_results: 0 }), (e) =>
      isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
  });

  it('keeps working after a refused open of the same file', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open({ identifier: 'x' });
    await backend.register(session(1, 1, [['a']]));
    await backend.close();
    await assert.rejects(h.open({ identifier: 'y' }));
    const again = await h.open({ identifier: 'x' });
    assert.deepEqual(idsOf((await again.backend.query({ type: 'latest' })).events), ['1/1/1']);
  });
});
