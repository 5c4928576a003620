import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { json, makeEvent, session } from '@eventum/testing';

import { formatEvent, parseEvents } from './format.js';
import { STATE_FILE } from './state.js';
import { at, idsOf, textlogHarness } from './testing/harness.js';

const run = promisify(execFile);

describe('textlog backend: files', () => {
  it('stores events that the system grep finds', async (t) => {
    const h = await textlogHarness(t);
    const { backend } = await h.open();
    const door = makeEvent(1, 1, 1, ['sensors', 'door1'], {
      timestamp: { s: 1_509_989_630, us: 674_905 },
      payload: json('Door has been unlocked'),
    });
    await backend.register([door, makeEvent(1, 1, 2, ['other'], { timestamp: door.timestamp })]);
    await backend.flush();
    const { stdout } = await run('grep', ['-rn', '-B6', 'Door has been unlocked', h.dir]);
    assert.match(stdout, /event: 1\/1\/1/);
    assert.match(stdout, /type: \["sensors","door1"\]/);
    assert.match(stdout, /timestamp: 1509989630\.674905/);
    const { stdout: files } = await run('grep', ['-l', 'door1', '-r', h.dir]);
    assert.deepEqual(
      files
        .trim()
        .split('\n')
        .map((f) => f.slice(h.dir.length + 1))
        .sort(),
      ['1509989580-1509989640', STATE_FILE],
    );
  });

  it('keeps every event across restarts and appends to existing span files', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open({ flush_period: 0 });
    await first.backend.register(session(1, 1, [['a'], ['b']]));
    await first.backend.close();
    const second = await h.open();
    assert.deepEqual(await second.backend.getLastEventId(1), {
      server: 1,
      session: 1,
      instance: 2,
    });
    await second.backend.register(session(1, 2, [['a']]));
    await second.backend.close();
    const third = await h.open();
    const all = await third.backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(all.events), ['1/1/1', '1/1/2', '1/2/1']);
    const latest = await third.backend.query({ type: 'latest', eventTypes: [['a']] });
    assert.deepEqual(idsOf(latest.events), ['1/2/1']);
  });

  it('flushes atomically: no temp file is left and every file parses', async (t) => {
    const h = await textlogHarness(t);
    const { backend, flushed } = await h.open({ flush_period: 0.01 });
    for (let s = 1; s <= 20; s++) await backend.register(session(1, s, [['a'], ['b']]));
    await backend.flush();
    assert.equal(flushed.flat().length, 40);
    const names = await readdir(h.dir);
    assert.deepEqual(
      names.filter((n) => n.startsWith('.')),
      [],
    );
    let count = 0;
    for (const name of names.filter((n) => n !== STATE_FILE)) {
      count += parseEvents(await readFile(join(h.dir, name))).length;
    }
    assert.equal(count, 40);
  });

  it('reports onFlushed only once the span file holds the batch', async (t) => {
    const h = await textlogHarness(t);
    const opened = await h.open({ flush_period: 0 });
    const event = at(1, 100);
    await opened.backend.register([event]);
    assert.equal(opened.flushed.length, 1);
    assert.equal(await readFile(join(h.dir, '60-120'), 'utf8'), formatEvent(event));
  });

  it('rebuilds the last ids and the latest events from the span files without a state file', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open();
    await first.backend.register(session(1, 1, [['a'], ['b']]));
    await first.backend.register(session(2, 4, [['a']]));
    await first.backend.close();
    await rm(join(h.dir, STATE_FILE));
    const second = await h.open();
    assert.deepEqual(await second.backend.getLastEventId(2), {
      server: 2,
      session: 4,
      instance: 1,
    });
    const latest = await second.backend.query({ type: 'latest' });
    assert.deepEqual(idsOf(latest.events).sort(), ['1/1/2', '2/4/1']);
  });

  it('re-reads span files written after the last state file (a crash between the two)', async (t) => {
    const h = await textlogHarness(t);
    const first = await h.open();
    await first.backend.register(session(1, 1, [['a']]));
    await first.backend.close();
    const late = session(1, 2, [['a']]);
    const name = '1699999980-1700000040';
    const old = await readFile(join(h.dir, name), 'utf8');
    await writeFile(join(h.dir, name), old + late.map(formatEvent).join(''));
    const second = await h.open();
    assert.deepEqual(await second.backend.getLastEventId(1), late[0]?.id);
    const latest = await second.backend.query({ type: 'latest' });
    assert.deepEqual(idsOf(latest.events), ['1/2/1']);
  });
});
