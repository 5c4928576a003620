import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { createLmdbBackend } from '@eventum/backend-lmdb';
import type { Backend, EventId } from '@eventum/core';
import { idText, json, makeEvent, session, tempDir } from '@eventum/testing';
import type { TempDir } from '@eventum/testing';

import { runCli } from './testing.js';

type Json = Record<string, unknown>;

/** A temporary directory, removed after the test. */
async function scratch(t: TestContext): Promise<string> {
  const dir = await tempDir('eventum-cli-lmdb-');
  t.after(() => dir.remove());
  return dir.path;
}

/** Creates `path` with the LMDB backend, lets `fill` register events, and closes it. */
async function createDb(path: string, fill: (backend: Backend) => Promise<void>): Promise<void> {
  const backend = await createLmdbBackend({ db_path: path, identifier: 'cli-test' });
  try {
    await fill(backend);
  } finally {
    await backend.close();
  }
}

/** Server 1: session 1 registers plant/a and plant/b, session 2 plant/a again. */
async function sampleDb(t: TestContext): Promise<string> {
  const db = join(await scratch(t), 'events.db');
  await createDb(db, async (backend) => {
    await backend.register(
      session(1, 1, [
        ['plant', 'a'],
        ['plant', 'b'],
      ]),
    );
    await backend.register(session(1, 2, [['plant', 'a']]));
  });
  return db;
}

/** Runs `eventum ...args`, expecting exit code 0, and parses each stdout line as JSON. */
async function jsonLines(args: readonly string[]): Promise<Json[]> {
  const outcome = await runCli(args);
  assert.equal(outcome.code, 0, outcome.stderr);
  return outcome.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
}

async function inspect(db: string): Promise<Json> {
  const [record, ...rest] = await jsonLines(['lmdb', 'inspect', '--db', db]);
  assert.ok(record !== undefined && rest.length === 0, 'inspect prints one JSON object');
  return record;
}

const ids = (records: readonly Json[]): string[] => records.map((r) => idText(r['id'] as EventId));

describe('eventum lmdb inspect and query', () => {
  it('inspect prints settings, last ids per server, partitions with counts and latest count', async (t) => {
    const db = await sampleDb(t);
    const record = await inspect(db);
    assert.deepEqual(record['settings'], { version: '0.9', identifier: 'cli-test' });
    assert.deepEqual(record['servers'], [
      {
        server_id: 1,
        last_event_id: { server: 1, session: 2, instance: 1 },
        last_timestamp: { s: 1_700_000_002, us: 0 },
        reserved_session: null,
      },
    ]);
    const partitions = record['partitions'] as Json[];
    assert.deepEqual(
      partitions.map((p) => [p['partition_id'], p['order'], p['subscriptions'], p['count']]),
      [
        [1, 'timestamp', [['*']], 3],
        [2, 'sourceTimestamp', [['*']], 3],
      ],
    );
    assert.equal(record['latest_count'], 2);
    assert.equal(record['ref_count'], 3);
  });

  it('query prints one JSON object per line for each kind, with its filters', async (t) => {
    const db = await sampleDb(t);
    const query = (...args: string[]) => jsonLines(['lmdb', 'query', '--db', db, ...args]);
    assert.deepEqual(await query('settings'), [
      { settings_id: 'VERSION', data: '0.9' },
      { settings_id: 'IDENTIFIER', data: 'cli-test' },
    ]);
    assert.deepEqual(await query('last_event_id', '--server-id', '1'), [
      { server: 1, session: 2, instance: 1 },
    ]);
    assert.deepEqual(await query('last_timestamp', '--server-id', '2'), []);
    assert.deepEqual(await query('partition', '--partition-id', '2'), [
      { partition_id: 2, data: { order: 'sourceTimestamp', subscriptions: [['*']] } },
    ]);

    const series = await query('timeseries', '--partition-id', '1');
    assert.deepEqual(ids(series), ['1/1/1', '1/1/2', '1/2/1']);
    assert.deepEqual(series[0], {
      id: { server: 1, session: 1, instance: 1 },
      type: ['plant', 'a'],
      timestamp: { s: 1_700_000_001, us: 0 },
      source_timestamp: { s: 1_599_999_990, us: 500 },
      payload: { data_type: 'json', data: { session: 1, instance: 1 } },
    });
    assert.deepEqual(ids(await query('timeseries', '--server-id', '1', 'plant/b')), [
      '1/1/2',
      '1/1/2',
    ]);

    // Hat's manager failed on these two kinds.
    assert.deepEqual(ids(await query('latest')).sort(), ['1/1/2', '1/2/1']);
    assert.deepEqual(ids(await query('latest', 'plant/?', 'other/*')), ['1/2/1', '1/1/2']);
    const refs = await query('ref', '--server-id', '1');
    assert.equal(refs.length, 8, 'a latest ref for 2 events, 2 timeseries refs for each of 3');
    assert.deepEqual(
      refs.filter((r) => r['ref_type'] === 'latest'),
      [
        {
          event_id: { server: 1, session: 1, instance: 2 },
          ref_type: 'latest',
          event_type: ['plant', 'b'],
        },
        {
          event_id: { server: 1, session: 2, instance: 1 },
          ref_type: 'latest',
          event_type: ['plant', 'a'],
        },
      ],
    );
    assert.deepEqual(refs[0], {
      event_id: { server: 1, session: 1, instance: 1 },
      ref_type: 'timeseries',
      partition_id: 1,
      timestamp: { s: 1_700_000_001, us: 0 },
    });
  });

  it('inspects and queries a file a backend in this process has open', async (t) => {
    const db = join(await scratch(t), 'live.db');
    const backend = await createLmdbBackend({ db_path: db });
    t.after(() => backend.close());
    await backend.register(session(3, 1, [['live', 'a']]));
    await backend.flush();
    let record = await inspect(db);
    assert.deepEqual(record['servers'], [
      {
        server_id: 3,
        last_event_id: { server: 3, session: 1, instance: 1 },
        last_timestamp: { s: 1_700_000_001, us: 0 },
        reserved_session: null,
      },
    ]);

    await backend.register(session(3, 2, [['live', 'b']]));
    await backend.flush();
    record = await inspect(db);
    assert.equal(record['latest_count'], 2);
    assert.deepEqual(ids(await jsonLines(['lmdb', 'query', '--db', db, 'latest', 'live/b'])), [
      '3/2/1',
    ]);
    // The backend is unaffected by the readers.
    assert.equal((await backend.register(session(3, 3, [['live', 'c']])))?.length, 1);
  });
});

describe('eventum lmdb copy', () => {
  const events = 20_000;
  let dir: TempDir;
  let src: string;

  // Enough records for several progress reports (one per 10,000 records copied).
  before(async () => {
    dir = await tempDir('eventum-cli-lmdb-copy-');
    src = join(dir.path, 'big.db');
    await createDb(src, async (backend) => {
      await backend.register(session(1, 1, [['plant', 'a']]));
      await backend.register(
        Array.from({ length: events }, (_, i) =>
          makeEvent(1, 2, i + 1, ['load', String(i % 100)], {
            sourceTimestamp: { s: 1_600_000_000 + i, us: 0 },
            payload: json(i),
          }),
        ),
      );
    });
  });
  after(() => dir.remove());

  it('copies everything, with a progress line per tenth on a pipe and a summary', async () => {
    const dst = join(dir.path, 'full.db');
    const outcome = await runCli(['lmdb', 'copy', src, dst]);
    assert.equal(outcome.code, 0, outcome.stderr);
    const progress = outcome.stderr.trim().split('\n');
    const shares = progress.map((line) => {
      const match = /^copying: (\d+)% {2}([\d,]+)\/([\d,]+) records$/.exec(line);
      assert.ok(match !== null, `progress line: ${line}`);
      return Number(match[1]);
    });
    assert.ok(shares.length >= 4, `several progress lines: ${outcome.stderr}`);
    assert.ok(shares.every((share, i) => i === 0 || share > shares[i - 1]!));
    assert.equal(shares.at(-1), 100);
    const total = /\/([\d,]+) records$/.exec(progress.at(-1)!)![1]!;
    assert.match(
      outcome.stdout,
      new RegExp(`^copied ${total} records from .+ to .+ in [\\d.]+ s\n$`),
    );

    const [original, copy] = [await inspect(src), await inspect(dst)];
    assert.deepEqual({ ...copy, path: src }, original);
    assert.equal(copy['ref_count'], events + 1);
  });

  it('copies without the timeseries, dropping their references', async () => {
    const dst = join(dir.path, 'latest-only.db');
    const outcome = await runCli(['lmdb', 'copy', '--skip-timeseries', src, dst]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /\(without timeseries\)/);
    const copy = await inspect(dst);
    assert.deepEqual(copy['partitions'], []);
    assert.equal(copy['latest_count'], 101);
    assert.equal(copy['ref_count'], 101, 'only the latest events keep a reference');
    assert.deepEqual(copy['servers'], (await inspect(src))['servers']);
    const refs = await jsonLines(['lmdb', 'query', '--db', dst, 'ref']);
    assert.ok(refs.every((r) => r['ref_type'] === 'latest'));
    assert.deepEqual(await jsonLines(['lmdb', 'query', '--db', dst, 'timeseries']), []);
  });

  it('refuses an existing destination with exit code 1 and leaves it alone', async (t) => {
    const db = await sampleDb(t);
    const dst = join(dir.path, 'existing.db');
    await writeFile(dst, 'keep me');
    const outcome = await runCli(['lmdb', 'copy', db, dst]);
    assert.equal(outcome.code, 1);
    assert.ok(outcome.stderr.includes(`already exists: ${dst}`), outcome.stderr);
    assert.equal(outcome.stdout, '');
    assert.equal((await stat(dst)).size, 'keep me'.length);
  });
});

describe('eventum lmdb command line', () => {
  it('names a missing or foreign file and exits 1', async (t) => {
    const dir = await scratch(t);
    const missing = join(dir, 'missing.db');
    const outcome = await runCli(['lmdb', 'inspect', '--db', missing]);
    assert.equal(outcome.code, 1);
    assert.equal(outcome.stderr, `eventum lmdb inspect: LMDB file not found: ${missing}\n`);

    const byDefault = await runCli(['lmdb', 'query', 'settings'], undefined, { cwd: dir });
    assert.equal(byDefault.code, 1);
    assert.match(byDefault.stderr, /not found: \.\/data\/eventum\.db \(the default; pass --db/);

    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not a database');
    const foreign = await runCli(['lmdb', 'copy', text, join(dir, 'copy.db')]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /notes\.txt is not an LMDB file/);
    assert.ok(!existsSync(join(dir, 'copy.db')));
  });

  it('rejects an unknown kind, a filter that does not apply and missing arguments with 2', async (t) => {
    const db = await sampleDb(t);
    const unknown = await runCli(['lmdb', 'query', '--db', db, 'events']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown KIND 'events', expected one of settings, .*timeseries/);
    const filter = await runCli(['lmdb', 'query', '--db', db, 'latest', '--partition-id', '1']);
    assert.equal(filter.code, 2);
    assert.match(filter.stderr, /--partition-id does not apply \(filters of latest: EVENT_TYPE\)/);
    const copy = await runCli(['lmdb', 'copy', db]);
    assert.equal(copy.code, 2);
    assert.match(copy.stderr, /SRC and DST are required\nRun with --help for usage\./);
    assert.equal((await runCli(['lmdb', 'shrink'])).code, 2);
  });

  it('prints help for lmdb and each subcommand with exit code 0', async () => {
    for (const args of [
      ['lmdb', '--help'],
      ...['inspect', 'query', 'copy'].map((s) => ['lmdb', s, '--help']),
    ]) {
      const outcome = await runCli(args);
      assert.equal(outcome.code, 0, args.join(' '));
      assert.match(outcome.stdout, /^Usage: eventum lmdb /);
    }
    assert.match((await runCli(['--help'])).stdout, /lmdb +inspect, query or copy/);
  });
});
