/**
 * The example system (orders → reservations → payments → orders, `examples/src/orders/`) under
 * each runner. Each order is five events (created, a reservation, reserved, a payment, paid)
 * through four process steps.
 * - `system/pipeline`: 8 clients create orders, closed loop; ops = events/s stored through the
 *   system from the first command until every follower caught up; latency = per order, from
 *   its creation to its payment, under that load (so it includes the queue in front of the
 *   followers).
 * - `system/latency`: one order at a time, each waited for; latency from creation to payment
 *   without a queue; ops = orders/s (includes the wait's polling).
 * Latencies come from the events' own timestamps (ms resolution, one machine's clock). *
 * The Python library publishes no figures for its runners; its single-threaded runner (the
 * shape the `single-threaded` rows follow) processes the whole cascade inside the command.
 * Run: `npm run bench -- system`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createNatsBus } from '@eventum/bus-nats';
import {
  ConcurrentRunner,
  ProcessRunner,
  busPublisher,
  SingleThreadedRunner,
  WorkerRunner,
  loadSystem,
  settle,
} from '@eventum/sourcing';
import type { Runner, RunnerOptions, System } from '@eventum/sourcing';

import { latencyPercentiles, skippedResults } from '../harness.js';
import type { BenchResult } from '../harness.js';
import type { Scenario } from '../scenario.js';
import { scratchDatabase } from '../targets/sourcing.js';

const PG_URL = process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS_URL = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const MODULE = fileURLToPath(new URL('../../../examples/dist/orders/system.js', import.meta.url));
const CLI = fileURLToPath(new URL('./main.js', import.meta.resolve('@eventum/cli/crash-load')));
const CLIENTS = 8;
const EVENTS_PER_ORDER = 5;

const SCENARIOS = ['system/pipeline', 'system/latency'];

type Report = (result: BenchResult) => void;
interface Sizes {
  /** Orders of the throughput run (8 clients, closed loop). */
  readonly orders: number;
  /** Orders of the latency run, one at a time. */
  readonly alone: number;
}
type Env = Record<string, string>;

async function pipeline(
  runner: Runner,
  orders: number,
): Promise<{ seconds: number; latencies: number[] }> {
  const ids: string[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; i < orders; i += CLIENTS) {
        const { id } = (await runner.call('orders', 'createOrder', `item-${i}`, 1)) as {
          id: string;
        };
        ids.push(id);
      }
    }),
  );
  await settle(runner, 600_000);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const latencies = (await runner.call('orders', 'latenciesMs', ids)) as number[];
  if (latencies.length !== orders) throw new Error(`${latencies.length} of ${orders} orders paid`);
  return { seconds, latencies };
}

/** One order at a time, each waited for (`settle`): latency without a queue in front. */
async function oneByOne(runner: Runner, orders: number): Promise<number[]> {
  const ids: string[] = [];
  for (let i = 0; i < orders; i++) {
    const { id } = (await runner.call('orders', 'createOrder', `alone-${i}`, 1)) as { id: string };
    await settle(runner, 60_000);
    ids.push(id);
  }
  return (await runner.call('orders', 'latenciesMs', ids)) as number[];
}

/** One result: a rate and the per-order latencies behind it. */
function result(
  scenario: string,
  target: string,
  params: Record<string, unknown>,
  unit: string,
  perSec: number,
  latencies: number[],
): BenchResult {
  return {
    scenario,
    target,
    params,
    unit,
    opsPerSec: perSec,
    spread: { min: perSec, max: perSec },
    rounds: 1,
    latencyMs: latencyPercentiles(latencies.sort((a, b) => a - b)),
  };
}

async function measure(
  target: string,
  open: () => Promise<Runner>,
  sizes: Sizes,
  report: Report,
): Promise<void> {
  let runner: Runner;
  try {
    runner = await open();
    await runner.start();
  } catch (error) {
    for (const r of skippedResults(SCENARIOS, target, {}, error)) report(r);
    return;
  }
  try {
    const { seconds, latencies } = await pipeline(runner, sizes.orders);
    const params = { orders: sizes.orders, clients: CLIENTS };
    const eventsPerSec = (sizes.orders * EVENTS_PER_ORDER) / seconds;
    report(result('system/pipeline', target, params, 'events/s', eventsPerSec, latencies));
    const start = process.hrtime.bigint();
    const alone = await oneByOne(runner, sizes.alone);
    const perSec = sizes.alone / (Number(process.hrtime.bigint() - start) / 1e9);
    report(result('system/latency', target, { orders: sizes.alone }, 'orders/s', perSec, alone));
  } finally {
    await runner.close();
  }
}

async function onPostgres(
  target: string,
  sizes: Sizes,
  report: Report,
  open: (env: Env) => Promise<Runner>,
): Promise<void> {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  try {
    db = await scratchDatabase(PG_URL);
  } catch (error) {
    for (const r of skippedResults(SCENARIOS, target, {}, error)) report(r);
    return;
  }
  try {
    const env = { PERSISTENCE_MODULE: 'postgres', POSTGRES_URL: db.url, POSTGRES_POOL_SIZE: '4' };
    await measure(target, () => open(env), sizes, report);
  } finally {
    await db.drop();
  }
}

async function processRunner(env: Env): Promise<Runner> {
  const bus = await createNatsBus({ servers: NATS_URL });
  const runner = new ProcessRunner(
    { module: MODULE },
    {
      env,
      publish: busPublisher(bus),
      command: (app) => [
        process.execPath,
        CLI,
        'system',
        'run',
        MODULE,
        '--app',
        app,
        '--nats',
        NATS_URL,
      ],
    },
  );
  void runner.closed.then(() => bus.close());
  return runner;
}

async function inMemory(system: System, sizes: Sizes, report: Report): Promise<void> {
  const memory = { env: { PERSISTENCE_MODULE: 'memory' } };
  const runners: [string, () => Runner][] = [
    ['single-threaded/memory', () => new SingleThreadedRunner(system, memory)],
    ['concurrent/memory', () => new ConcurrentRunner(system, memory)],
    ['worker-threads/memory', () => new WorkerRunner({ module: MODULE }, memory)],
  ];
  for (const [target, make] of runners)
    await measure(target, () => Promise.resolve(make()), sizes, report);
}

async function onLmdb(system: System, sizes: Sizes, report: Report): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-system-'));
  const lmdb = (file: string): RunnerOptions => ({
    env: { PERSISTENCE_MODULE: 'lmdb', LMDB_PATH: join(dir, file) },
  });
  const runners: [string, () => Runner][] = [
    ['single-threaded/lmdb', () => new SingleThreadedRunner(system, lmdb('a.mdb'))],
    ['concurrent/lmdb', () => new ConcurrentRunner(system, lmdb('b.mdb'))],
  ];
  try {
    for (const [target, make] of runners)
      await measure(target, () => Promise.resolve(make()), sizes, report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const systemScenario: Scenario = {
  name: 'system',
  async run({ quick, report }) {
    const sizes: Sizes = quick ? { orders: 24, alone: 3 } : { orders: 2000, alone: 100 };
    const pgSizes: Sizes = quick ? { orders: 24, alone: 3 } : { orders: 500, alone: 50 };
    const system: System = await loadSystem(MODULE);
    await inMemory(system, sizes, report);
    await onLmdb(system, sizes, report);
    await onPostgres('single-threaded/postgres', pgSizes, report, (env) =>
      Promise.resolve(new SingleThreadedRunner(system, { env })),
    );
    await onPostgres('concurrent/postgres', pgSizes, report, (env) =>
      Promise.resolve(new ConcurrentRunner(system, { env })),
    );
    await onPostgres('multi-process/postgres+nats', pgSizes, report, processRunner);
  },
};
