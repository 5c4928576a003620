import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertSurvivesKills } from '@eventum/testing';

import { textlogHarness } from './testing/harness.js';

const writer = fileURLToPath(new URL('./testing/crash-writer.js', import.meta.url));

describe('textlog backend: crash', () => {
  it('holds every event reported flushed before a SIGKILL, and goes on after it', async (t) => {
    const h = await textlogHarness(t);
    await assertSurvivesKills(writer, [h.dir], async () => (await h.open()).backend);
    // Temp files a kill left behind are removed at start-up.
    assert.deepEqual(
      (await readdir(h.dir)).filter((n) => n.startsWith('.')),
      [],
    );
  });
});
