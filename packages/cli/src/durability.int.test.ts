import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { tempDir } from '@eventum/testing';

import { crashUnderLoad } from './crash-load.js';
import type { CrashLoadResult } from './crash-load.js';

// The server is killed with SIGKILL under load from several clients, restarted on the same
// storage and asked what it holds (docs/operations/durability.md). A long flush period makes
// every flush in these runs one that the durability mode asked for.
const load = { clients: 4, batchSize: 5, loadMs: 700, afterRestart: 20 };

async function crash(t: TestContext, backend: Record<string, unknown>): Promise<CrashLoadResult> {
  const dir = await tempDir('eventum-durability-');
  t.after(() => dir.remove());
  const files = backend['type'] === 'lmdb' ? { db_path: join(dir.path, 'db') } : { path: dir.path };
  return crashUnderLoad({ dir: dir.path, backend: { ...files, ...backend }, ...load });
}

const backends = {
  lmdb: { type: 'lmdb', flush_period: 30, flush_count: 1_000_000, max_registered_count: 1_000_000 },
  textlog: { type: 'textlog', path: 'data', flush_period: 30 },
} as const;

for (const [name, section] of Object.entries(backends)) {
  describe(`durability after SIGKILL: ${name}`, () => {
    it('committed: every acknowledged and every persisted-notified event survives', async (t) => {
      const result = await crash(t, { ...section, durability: 'committed' });
      assert.ok(result.acknowledged > 0, 'the load registered nothing');
      assert.equal(result.lostAcknowledged, 0);
      assert.equal(result.lostPersisted, 0);
      assert.equal(result.reusedIds, 0);
    });

    it('buffered: acknowledged events may be lost, but their ids are never reused', async (t) => {
      const result = await crash(t, { ...section, durability: 'buffered' });
      // Nothing was flushed before the kill: every acknowledged event is gone...
      assert.ok(result.lostAcknowledged > 0, 'expected unflushed acknowledged events');
      assert.equal(result.lostPersisted, 0);
      // ...and the restarted server (STARTED and 20 new registrations) uses none of their ids.
      assert.equal(result.reusedIds, 0);
      assert.ok(result.stored >= 21);
    });
  });
}
