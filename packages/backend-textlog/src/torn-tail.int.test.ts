import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { formatEvent } from './format.js';
import { at, idsOf, textlogHarness } from './testing/harness.js';

const SPAN = '1700000040-1700000100';

describe('textlog backend: appends', () => {
  it('cuts off a torn append at start-up and appends after the last whole block', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open();
    await first.backend.register([at(1, 1_700_000_050), at(2, 1_700_000_051)]);
    await first.backend.close();
    const whole = (await stat(join(h.dir, SPAN))).size;
    // What a crash in the middle of an append leaves: the first part of a block.
    await appendFile(join(h.dir, SPAN), formatEvent(at(3, 1_700_000_052)).slice(0, 40));

    const second = await h.open();
    assert.equal((await stat(join(h.dir, SPAN))).size, whole);
    assert.deepEqual((await second.backend.getLastEventId(1)).session, 2);
    await second.backend.register([at(4, 1_700_000_053)]);
    await second.backend.flush();
    const page = await second.backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.deepEqual(idsOf(page.events), ['1/1/1', '1/2/1', '1/4/1']);
    const text = await readFile(join(h.dir, SPAN), 'utf8');
    assert.equal(text.split('\nend\n\n').length, 4);
  });

  it('refuses a span file broken before its recorded size', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open();
    await first.backend.register([at(1, 1_700_000_050), at(2, 1_700_000_051)]);
    await first.backend.close();
    const data = await readFile(join(h.dir, SPAN), 'utf8');
    // The first block's terminator damaged, and one byte more so that start-up reads the file.
    await writeFile(join(h.dir, SPAN), `${data.replace('end\n\n', 'END\n\n')}x`);
    await assert.rejects(h.open(), (e: Error & { code?: string }) => e.code === 'ERR_BACKEND');
  });
});
