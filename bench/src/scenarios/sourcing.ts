/**
 * Event sourcing side by side: eventum's application on memory, LMDB and PostgreSQL, and Emmett
 * on the same PostgreSQL server (`src/targets/sourcing.ts` says how each is used). LMDB and
 * PostgreSQL run twice: `synced` (an append resolves once on disk, as Emmett's) and `deferred`
 * (`-deferred` targets: LMDB `noSync` with a background sync, PostgreSQL
 * `synchronous_commit = off`; docs/sourcing.md says what a crash loses).
 * - `sourcing/append-single`: 1, 8 and 64 writers, each appending one event at a time to its own
 *   stream with its expected version, closed loop; latency of each append; ops = events/s. Each
 *   target first makes 1,000 unmeasured single appends (warm-up).
 * - `sourcing/append-batch`: one writer appending batches of 100 events; ops = events/s.
 * - `sourcing/aggregate-load`: folding a stream of 1,000 and of 10,000 events; ops = loads/s.
 * - `sourcing/log-read`: reading every stored event in order, decoded; ops = events/s.
 * Run: `npm run bench -- sourcing`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  latencyPercentiles,
  latencyResult,
  measureRounds,
  sampleLatencies,
  skippedResults,
} from '../harness.js';
import type { BenchResult } from '../harness.js';
import type { Scenario } from '../scenario.js';
import { deposited, emmettTarget, eventumTarget, scratchDatabase } from '../targets/sourcing.js';
import type { SourcingTarget } from '../targets/sourcing.js';

const PG_URL = process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCENARIOS = [
  'sourcing/append-single',
  'sourcing/append-batch',
  'sourcing/aggregate-load',
  'sourcing/log-read',
];

interface Sizes {
  readonly singles: number;
  readonly batches: number;
  readonly loads: readonly number[];
  readonly loadRepeats: number;
  /** Unmeasured single appends each target makes first (see `runTarget`). */
  readonly warmup: number;
}

type Report = (result: BenchResult) => void;

/** `writers` closed loops sharing `total` single-event appends; per-append latencies. */
async function appendSingles(
  t: SourcingTarget,
  writers: number,
  total: number,
  prefix: string,
  report: Report,
): Promise<void> {
  const samples: number[] = [];
  const perWriter = Math.max(1, Math.floor(total / writers));
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let v = 0; v < perWriter; v++) {
        const began = process.hrtime.bigint();
        await t.append(`${prefix}-${w}`, [deposited(v)], v);
        samples.push(Number(process.hrtime.bigint() - began) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const opsPerSec = (perWriter * writers) / seconds;
  samples.sort((a, b) => a - b);
  report({
    scenario: 'sourcing/append-single',
    target: t.name,
    params: { writers, events: perWriter * writers },
    unit: 'events/s',
    opsPerSec,
    spread: { min: opsPerSec, max: opsPerSec },
    rounds: 1,
    latencyMs: latencyPercentiles(samples),
  });
}

async function appendBatches(t: SourcingTarget, batches: number, report: Report): Promise<void> {
  const batch = Array.from({ length: 100 }, (_, i) => deposited(i));
  let version = 0;
  const result = await measureRounds(
    async () => {
      for (let b = 0; b < batches; b++) {
        await t.append('batches', batch, version);
        version += 100;
      }
    },
    { ops: batches * 100, rounds: 3 },
  );
  report({
    scenario: 'sourcing/append-batch',
    target: t.name,
    params: { batch: 100, batches },
    unit: 'events/s',
    ...result,
  });
}

async function loads(t: SourcingTarget, sizes: Sizes, report: Report): Promise<void> {
  for (const length of sizes.loads) {
    const stream = `long-${length}`;
    for (let v = 0; v < length; v += 100) {
      await t.append(
        stream,
        Array.from({ length: Math.min(100, length - v) }, (_, i) => deposited(v + i)),
        v,
      );
    }
    if ((await t.load(stream)) !== length) throw new Error(`${t.name}: loaded a wrong version`);
    const samples = await sampleLatencies(sizes.loadRepeats, () => t.load(stream));
    report({
      scenario: 'sourcing/aggregate-load',
      target: t.name,
      params: { events: length },
      unit: 'loads/s',
      ...latencyResult(samples),
    });
  }
}

async function logRead(t: SourcingTarget, stored: number, report: Report): Promise<void> {
  // Readers stop below the oldest transaction running anywhere in the cluster (both targets
  // use that fence), so on a shared server a round may end a few events short: say so.
  let fewest = stored;
  const result = await measureRounds(
    async () => {
      fewest = Math.min(fewest, await t.readAll(stored));
    },
    { ops: stored, rounds: 3 },
  );
  report({
    scenario: 'sourcing/log-read',
    target: t.name,
    params: { events: stored },
    unit: 'events/s',
    ...result,
    ...(fewest < stored ? { extra: { fewestRead: fewest } } : {}),
  });
}

async function runTarget(
  open: () => Promise<SourcingTarget>,
  name: string,
  sizes: Sizes,
  report: Report,
): Promise<void> {
  let target: SourcingTarget;
  try {
    target = await open();
  } catch (error) {
    for (const r of skippedResults(SCENARIOS, name, {}, error)) report(r);
    return;
  }
  try {
    // Warm-up, unmeasured: a freshly opened target's first appends run through code the JIT has
    // not optimised yet (lmdb-js builds its functions per opened file, so even a second file
    // starts cold), which set half of the 1-writer row's time (docs/sourcing.md, "Figures").
    await appendSingles(target, 1, sizes.warmup, 'warm', () => undefined);
    let stored = sizes.warmup;
    for (const writers of [1, 8, 64]) {
      await appendSingles(target, writers, sizes.singles, `w${writers}`, report);
      stored += Math.max(1, Math.floor(sizes.singles / writers)) * writers;
    }
    await appendBatches(target, sizes.batches, report);
    stored += sizes.batches * 100 * 4;
    await loads(target, sizes, report);
    stored += sizes.loads.reduce((a, b) => a + b, 0);
    await logRead(target, stored, report);
  } finally {
    await target.close();
  }
}

export const sourcingScenario: Scenario = {
  name: 'sourcing',
  async run({ quick, report }) {
    const sizes: Sizes = quick
      ? { singles: 128, batches: 2, loads: [100, 1000], loadRepeats: 5, warmup: 32 }
      : { singles: 4096, batches: 50, loads: [1000, 10_000], loadRepeats: 50, warmup: 1000 };
    await runTarget(
      () => eventumTarget('eventum-memory', { type: 'memory' }),
      'eventum-memory',
      sizes,
      report,
    );
    const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-sourcing-'));
    try {
      for (const durability of ['synced', 'deferred'] as const) {
        const name = durability === 'synced' ? 'eventum-lmdb' : 'eventum-lmdb-deferred';
        const path = join(dir, `${durability}.mdb`);
        await runTarget(
          () => eventumTarget(name, { type: 'lmdb', path, durability }),
          name,
          sizes,
          report,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    for (const durability of ['synced', 'deferred'] as const) {
      const name = durability === 'synced' ? 'eventum-postgres' : 'eventum-postgres-deferred';
      await runOnPostgres(
        name,
        (url) => eventumTarget(name, { type: 'postgres', url, durability }),
        sizes,
        report,
      );
    }
    await runOnPostgres(
      'emmett-postgres',
      (url) => Promise.resolve(emmettTarget(url)),
      sizes,
      report,
    );
  },
};

async function runOnPostgres(
  name: string,
  open: (url: string) => Promise<SourcingTarget>,
  sizes: Sizes,
  report: Report,
): Promise<void> {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  try {
    db = await scratchDatabase(PG_URL);
  } catch (error) {
    for (const r of skippedResults(SCENARIOS, name, {}, error)) report(r);
    return;
  }
  try {
    await runTarget(() => open(db.url), name, sizes, report);
  } finally {
    await db.drop();
  }
}
