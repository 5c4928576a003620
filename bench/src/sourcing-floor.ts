/**
 * What one durable append costs on this disk, below eventum: `node bench/dist/sourcing-floor.js`
 * (not part of `npm run bench`). One writer, closed loop, p50/p90 in ms of: an `fdatasync` after
 * a 4 KiB append to a file; an lmdb-js `putSync` (one transaction: LMDB's two syncs) and with
 * `noSync`; a PostgreSQL INSERT committed alone, with `synchronous_commit = off`, and a bare
 * `SELECT 1` (the round trip); eventum's LMDB and PostgreSQL recorders appending one event
 * through an application, in both durabilities. docs/sourcing.md quotes it ("Durability").
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openApplication } from '@eventum/sourcing';
import type { PersistenceConfig } from '@eventum/sourcing';
import { open } from 'lmdb';
import pg from 'pg';

import { deposited, scratchDatabase } from './targets/sourcing.js';

const PG_URL = process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(process.env['FLOOR_N'] ?? 2000);

async function time(label: string, fn: (i: number) => unknown): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const began = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => (samples[Math.floor(samples.length * q)] ?? 0).toFixed(3);
  console.log(`| ${label} | ${at(0.5)} | ${at(0.9)} |`);
}

const dir = mkdtempSync(join(tmpdir(), 'eventum-floor-'));
const db = await scratchDatabase(PG_URL);
try {
  console.log('| one append, 1 writer | p50 ms | p90 ms |\n| --- | ---: | ---: |');
  const fd = openSync(join(dir, 'probe'), 'w');
  const page = Buffer.alloc(4096, 1);
  await time('`fdatasync` after a 4 KiB append', (i) => {
    writeSync(fd, page, 0, page.length, i * page.length);
    fdatasyncSync(fd);
  });
  closeSync(fd);
  const entry = { o: 'stream-1', v: 1, t: 'Deposited', e: 'event-id', s: Buffer.alloc(120, 3) };
  for (const noSync of [false, true]) {
    const root = open({ path: join(dir, `raw-${noSync}.mdb`), noSubdir: true, noSync });
    const raw = root.openDB<typeof entry, number>('x', {});
    await time(`lmdb-js \`putSync\`${noSync ? ', `noSync`' : ''}`, (i) => raw.putSync(i, entry));
    await root.close();
  }
  const client = new pg.Client(db.url);
  await client.connect();
  await client.query('CREATE TABLE probe (id bigserial PRIMARY KEY, body bytea)');
  const insert = () => client.query('INSERT INTO probe (body) VALUES ($1)', [entry.s]);
  await time('PostgreSQL INSERT, own commit', insert);
  await client.query('SET synchronous_commit = off');
  await time('PostgreSQL INSERT, `synchronous_commit = off`', insert);
  await time('PostgreSQL `SELECT 1` (round trip)', () => client.query('SELECT 1'));
  await client.end();
  const stores: [string, PersistenceConfig][] = [];
  for (const durability of ['synced', 'deferred'] as const) {
    stores.push([
      `eventum LMDB, ${durability}`,
      { type: 'lmdb', path: join(dir, `${durability}.mdb`), durability },
    ]);
    stores.push([
      `eventum PostgreSQL, ${durability}`,
      { type: 'postgres', url: db.url, schema: `floor_${durability}`, durability },
    ]);
  }
  for (const [label, persistence] of stores) {
    const app = await openApplication({ name: 'floor', config: { persistence } });
    await time(label, (i) => app.events.append('s', [deposited(i)], { expectedVersion: i }));
    await app.close();
  }
} finally {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
