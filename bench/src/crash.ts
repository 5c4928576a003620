/**
 * The durability run: `npm run bench:crash [-- --quick] [-- --runs N] [-- --only crash|throughput]` (not part of `npm test`).
 *
 * 1. Crash under load: for each backend (LMDB, textlog) and durability mode (`buffered`,
 *    `committed`), `--runs` times (default 20): an `eventum server` process with the default
 *    flush settings, many clients registering (odd runs: 32 clients of single events; even
 *    runs: 8 clients of batches of 100), a SIGKILL after 0.5–2 s, a restart on the same
 *    storage, and a comparison of what it holds with what was acknowledged and
 *    persisted-notified before the kill (`crashUnderLoad` from `@eventum/cli`).
 * 2. Register throughput of both modes side by side: events/s acknowledged over TCP by many
 *    concurrent clients (32 and 128 of single events, 8 of batches of 100); 3 rounds of 4 s (after 1 s of warm-up),
 *    the modes alternating, median and range.
 *
 * Prints a table and writes `bench/results/<date>-crash.json` (ignored by git). Nothing is
 * asserted: a lost event shows as a non-zero figure.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { crashUnderLoad } from '@eventum/cli/crash-load';
import type { CrashLoadResult } from '@eventum/cli/crash-load';

import { currentCommit, systemInfo } from './harness.js';
import { measureRegisterThroughput } from './register-throughput.js';
import type { ThroughputResult } from './register-throughput.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
  },
});
if (values.only !== undefined && !['crash', 'throughput'].includes(values.only)) {
  console.error(`--only takes crash or throughput, not ${values.only}`);
  process.exit(2);
}
const runs = Number(values.runs ?? (values.quick ? 2 : 20));
const measureMs = values.quick ? 1000 : 4000;
const rounds = values.quick ? 1 : 3;
const backends = ['lmdb', 'textlog'] as const;
const modes = ['buffered', 'committed'] as const;

/** Totals of the crash runs of one backend and mode. */
interface CrashTotals {
  backend: string;
  durability: string;
  runs: number;
  acknowledged: number;
  persistedNotified: number;
  lostAcknowledged: number;
  lostPersisted: number;
  reusedIds: number;
}

async function crashRuns(backend: string, durability: string): Promise<CrashTotals> {
  const totals: CrashTotals = {
    ...{ backend, durability, runs, acknowledged: 0, persistedNotified: 0 },
    ...{ lostAcknowledged: 0, lostPersisted: 0, reusedIds: 0 },
  };
  for (let run = 1; run <= runs; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'eventum-crash-'));
    try {
      const files = backend === 'lmdb' ? { db_path: join(dir, 'db') } : { path: join(dir, 'log') };
      const single = run % 2 === 1;
      const result: CrashLoadResult = await crashUnderLoad({
        dir,
        backend: { type: backend, ...files, durability },
        clients: single ? 32 : 8,
        batchSize: single ? 1 : 100,
        loadMs: 500 + Math.floor(Math.random() * 1500),
        afterRestart: 10,
      });
      process.stderr.write(`crash ${backend} ${durability} #${run}: ${JSON.stringify(result)}\n`);
      totals.acknowledged += result.acknowledged;
      totals.persistedNotified += result.persistedNotified;
      totals.lostAcknowledged += result.lostAcknowledged;
      totals.lostPersisted += result.lostPersisted;
      totals.reusedIds += result.reusedIds;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return totals;
}

const crashes: CrashTotals[] = [];
for (const backend of values.only === 'throughput' ? [] : backends) {
  for (const durability of modes) crashes.push(await crashRuns(backend, durability));
}

const loads = [
  { name: 'single events, 32 clients', clients: 32, batchSize: 1 },
  { name: 'single events, 128 clients', clients: 128, batchSize: 1 },
  { name: 'batches of 100, 8 clients', clients: 8, batchSize: 100 },
] as const;
const throughput: ThroughputResult[] = [];
// The modes alternate round by round, so a load spike on the (shared) machine hits both.
for (const backend of values.only === 'crash' ? [] : backends) {
  for (const load of loads) {
    for (let round = 1; round <= rounds; round++) {
      for (const durability of modes) {
        const result = await measureRegisterThroughput({
          backend: { type: backend, durability },
          ...load,
          measureMs,
        });
        process.stderr.write(`throughput #${round} ${JSON.stringify(result)}\n`);
        throughput.push(result);
      }
    }
  }
}

/** Median and range of the rounds of one backend, load and mode (events/s). */
function rates(backend: string, load: string, durability: string): number[] {
  return throughput
    .filter((t) => t.backend === backend && t.load === load && t.durability === durability)
    .map((t) => t.eventsPerSecond)
    .sort((x, y) => x - y);
}
const median = (sorted: readonly number[]): number => sorted[Math.floor(sorted.length / 2)] ?? 0;
const spread = (sorted: readonly number[]): string =>
  `${median(sorted)} (${sorted[0] ?? 0}–${sorted[sorted.length - 1] ?? 0})`;

const lines = [
  '| backend | durability | runs | acknowledged | persisted-notified | lost acknowledged | lost persisted-notified | reused ids |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...crashes.map(
    (c) =>
      `| ${c.backend} | ${c.durability} | ${c.runs} | ${c.acknowledged} | ${c.persistedNotified} | ` +
      `${c.lostAcknowledged} | ${c.lostPersisted} | ${c.reusedIds} |`,
  ),
  '',
  `| backend | load | buffered events/s, median (range of ${rounds}) | committed events/s | committed / buffered (medians) |`,
  '| --- | --- | --- | --- | --- |',
];
for (const backend of values.only === 'crash' ? [] : backends) {
  for (const load of loads) {
    const buffered = rates(backend, load.name, 'buffered');
    const committed = rates(backend, load.name, 'committed');
    const ratio = median(committed) / Math.max(1, median(buffered));
    lines.push(
      `| ${backend} | ${load.name} | ${spread(buffered)} | ${spread(committed)} | ${ratio.toFixed(2)} |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
await mkdir(resultsDir, { recursive: true });
const suffix = [values.quick ? '-quick' : '', values.only === undefined ? '' : `-${values.only}`];
const name = `${new Date().toISOString().slice(0, 10)}-crash${suffix.join('')}`;
const record = { system: systemInfo(), commit: currentCommit(), crashes, throughput };
await writeFile(join(resultsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
await writeFile(join(resultsDir, `${name}.md`), `${lines.join('\n')}\n`);
