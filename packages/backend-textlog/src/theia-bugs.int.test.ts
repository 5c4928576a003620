/*
 * One test per defect the reference lists for Theia's naive store (bus-store-notify.md §2.6),
 * each showing the textlog backend does not have it.
 */
import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { STATE_FILE } from './state.js';
import { at, collect, idsOf, textlogHarness } from './testing/harness.js';

describe('textlog backend: Theia naive store defects are gone', () => {
  it('data loss on restart: a save into an existing span file keeps what it held', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open();
    await first.backend.register([at(1, 1000, ['a'])]);
    await first.backend.close();
    const second = await h.open();
    await second.backend.register([at(2, 1001, ['b'])]);
    await second.backend.flush();
    assert.deepEqual(await readdir(h.dir).then((n) => n.filter((x) => x !== STATE_FILE)), [
      '960-1020',
    ]);
    await second.backend.close();
    const third = await h.open();
    const all = await third.backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(all.events), ['1/1/1', '1/2/1']);
  });

  it('newest events cannot be found: unflushed events are found, and no missing-file error', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    await backend.register([at(1, 1000), at(2, 5000)]);
    assert.deepEqual(await readdir(h.dir), []);
    const found = await collect(backend.search({ from: 900 }));
    assert.deepEqual(idsOf(found), ['1/1/1', '1/2/1']);
    const series = await backend.query({ type: 'timeseries', tFrom: { s: 4000, us: 0 } });
    assert.deepEqual(idsOf(series.events), ['1/2/1']);
    const server = await backend.query({ type: 'server', serverId: 1 });
    assert.equal(server.events.length, 2);
    const persisted = await backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.equal(persisted.events.length, 0);
  });

  it('gap-mapped events are missed: an event in a gap between files is found by a narrow search', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    await backend.register([at(1, 10), at(2, 300)]);
    await backend.flush();
    await backend.register([at(3, 310)]);
    const gap = await backend.query({
      type: 'timeseries',
      tFrom: { s: 100, us: 0 },
      tTo: { s: 200, us: 0 },
    });
    assert.deepEqual(idsOf(gap.events), []);
    // Theia would put an event at 150 into the next file and a 140..160 search would miss it.
    const other = await h.open({ path: join(h.dir, 'gap') });
    await other.backend.register([at(1, 10), at(2, 300), at(3, 300)]);
    await other.backend.flush();
    await other.backend.register([
      { ...at(4, 300), id: { server: 2, session: 1, instance: 1 }, timestamp: { s: 150, us: 0 } },
    ]);
    await other.backend.flush();
    const narrow = await collect(other.backend.search({ from: 140, to: 160 }));
    assert.deepEqual(idsOf(narrow), ['2/1/1']);
  });

  it('unbounded memory and write amplification: a flush rewrites only the spans it touched', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    await backend.register([at(1, 0)]);
    await backend.flush();
    const before = await stat(join(h.dir, '0-60'));
    await backend.register([at(2, 120)]);
    await backend.flush();
    const after = await stat(join(h.dir, '0-60'));
    assert.equal(after.ino, before.ino);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.ok((await stat(join(h.dir, '120-180'))).size > 0);
  });

  it('no descending search and no index by id: both work', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    await backend.register([at(1, 10, ['a']), at(2, 70, ['b']), at(3, 130, ['a'])]);
    await backend.flush();
    const desc = await collect(backend.search({ order: 'descending' }));
    assert.deepEqual(idsOf(desc), ['1/3/1', '1/2/1', '1/1/1']);
    const id = { server: 1, session: 2, instance: 1 };
    assert.deepEqual((await backend.getEvent(id))?.type, ['b']);
    assert.equal(await backend.deleteEvent(id), true);
    assert.equal(await backend.getEvent(id), null);
    assert.equal(await backend.deleteEvent(id), false);
    const asc = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(asc.events), ['1/1/1', '1/3/1']);
  });

  it('a name like 10-70x crashes the index: other names are ignored', async (t) => {
    const h = await textlogHarness(t);
    await writeFile(join(h.dir, '10-70x'), 'not events');
    await writeFile(join(h.dir, 'notes.txt'), 'not events');
    const { backend } = await h.open();
    assert.deepEqual((await backend.query({ type: 'timeseries' })).events, []);
  });

  it('tag filters were skipped for events without tags, content filters for empty content', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    await backend.register([
      at(1, 10, ['door', 'open'], 'unlocked'),
      at(2, 11, ['window']),
      { ...at(3, 12, ['door']), payload: null },
    ]);
    const tagged = await collect(backend.search({ tags: ['door'] }));
    assert.deepEqual(idsOf(tagged), ['1/1/1', '1/3/1']);
    const content = await collect(backend.search({ content: /unlock/ }));
    assert.deepEqual(idsOf(content), ['1/1/1']);
  });
});
