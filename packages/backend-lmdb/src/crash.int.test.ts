import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertSurvivesKills } from '@eventum/testing';

import { lmdbHarness } from './testing/harness.js';

const writer = fileURLToPath(new URL('./testing/crash-writer.js', import.meta.url));

describe('lmdb backend: crash', () => {
  it('holds every event reported flushed before a SIGKILL, and goes on after it', async (t) => {
    const h = await lmdbHarness(t);
    await assertSurvivesKills(writer, [h.dbPath], async () => (await h.open()).backend);
  });
});
