/**
 * The example system (orders → reservations → payments → orders, `examples/src/orders/`) under
 * each runner: `system/pipeline`. Clients create orders, 8 at a time, closed loop; each order
 * causes four more events (a reservation, the order reserved, a payment, the order paid: four
 * process steps). ops = events/s stored through the system from the first command until every
 * follower caught up; latency = per order, from its creation to its payment (the last effect),
 * by the events' own timestamps (ms resolution).
 *
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
  SingleThreadedRunner,
  WorkerRunner,
  loadSystem,
  settle,
} from '@eventum/sourcing';
import type { Runner, System } from '@eventum/sourcing';

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

type Report = (result: BenchResult) => void;
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

async function measure(
  target: string,
  open: () => Promise<Runner>,
  orders: number,
  report: Report,
): Promise<void> {
  let runner: Runner;
  try {
    runner = await open();
    await runner.start();
  } catch (error) {
    for (const r of skippedResults(['system/pipeline'], target, { orders }, error)) report(r);
    return;
  }
  try {
    const { seconds, latencies } = await pipeline(runner, orders);
    const opsPerSec = (orders * EVENTS_PER_ORDER) / seconds;
    report({
      scenario: 'system/pipeline',
      target,
      params: { orders, clients: CLIENTS },
      unit: 'events/s',
      opsPerSec,
      spread: { min: opsPerSec, max: opsPerSec },
      rounds: 1,
      latencyMs: latencyPercentiles(latencies.sort((a, b) => a - b)),
    });
  } finally {
    await runner.close();
  }
}

async function onPostgres(
  target: string,
  orders: number,
  report: Report,
  open: (env: Env) => Promise<Runner>,
): Promise<void> {
  let db: Awaited<ReturnType<typeof scratchDatabase>>;
  try {
    db = await scratchDatabase(PG_URL);
  } catch (error) {
    for (const r of skippedResults(['system/pipeline'], target, { orders }, error)) report(r);
    return;
  }
  try {
    const env = { PERSISTENCE_MODULE: 'postgres', POSTGRES_URL: db.url, POSTGRES_POOL_SIZE: '4' };
    await measure(target, () => open(env), orders, report);
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
      bus,
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

export const systemScenario: Scenario = {
  name: 'system',
  async run({ quick, report }) {
    const orders = quick ? 24 : 2000;
    const pgOrders = quick ? 24 : 500;
    const system: System = await loadSystem(MODULE);
    const memory = { env: { PERSISTENCE_MODULE: 'memory' } };
    await measure(
      'single-threaded/memory',
      () => Promise.resolve(new SingleThreadedRunner(system, memory)),
      orders,
      report,
    );
    await measure(
      'concurrent/memory',
      () => Promise.resolve(new ConcurrentRunner(system, memory)),
      orders,
      report,
    );
    await measure(
      'worker-threads/memory',
      () => Promise.resolve(new WorkerRunner({ module: MODULE }, memory)),
      orders,
      report,
    );
    const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-system-'));
    try {
      const lmdb = (file: string) => ({
        env: { PERSISTENCE_MODULE: 'lmdb', LMDB_PATH: join(dir, file) },
      });
      await measure(
        'single-threaded/lmdb',
        () => Promise.resolve(new SingleThreadedRunner(system, lmdb('a.mdb'))),
        orders,
        report,
      );
      await measure(
        'concurrent/lmdb',
        () => Promise.resolve(new ConcurrentRunner(system, lmdb('b.mdb'))),
        orders,
        report,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await onPostgres('single-threaded/postgres', pgOrders, report, (env) =>
      Promise.resolve(new SingleThreadedRunner(system, { env })),
    );
    await onPostgres('concurrent/postgres', pgOrders, report, (env) =>
      Promise.resolve(new ConcurrentRunner(system, { env })),
    );
    await onPostgres('multi-process/postgres+nats', pgOrders, report, processRunner);
  },
};
