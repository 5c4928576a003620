import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';

import { createNatsBus } from '@eventum/bus-nats';
import { ProcessRunner, busPublisher } from '@eventum/sourcing';
import type { StoredStatus } from '@eventum/sourcing';
import { createPostgresWake } from '@eventum/sourcing/postgres';
import { requireService, testNatsUrl, testPgUrl } from '@eventum/testing';

import { postgresEnv } from './pg-env.js';
import { assertProcessedOnce, placeOrders } from './scenario.js';

const services = {
  pg: await requireService('PostgreSQL', testPgUrl, (reason) => {
    it('multi-process', (t) => t.skip(reason));
  }),
  nats: await requireService('NATS', testNatsUrl, (reason) => {
    it('multi-process', (t) => t.skip(reason));
  }),
};
const cli = fileURLToPath(new URL('./main.js', import.meta.resolve('@eventum/cli/crash-load')));
const systemFile = fileURLToPath(new URL('./system.js', import.meta.url));
/**
 * A runner of one process per application. `wake: 'nats'` prompts over NATS with a 250 ms
 * safety poll; `wake: 'pg'` prompts only over PostgreSQL LISTEN/NOTIFY, with a poll too slow
 * to matter within the test (so the test fails unless LISTEN/NOTIFY wakes the followers).
 */
async function openRunner(
  env: Record<string, string>,
  wake: 'nats' | 'pg',
): Promise<ProcessRunner> {
  const bus = wake === 'nats' ? await createNatsBus({ servers: testNatsUrl }) : undefined;
  const pgWake =
    wake === 'pg'
      ? await createPostgresWake({ url: testPgUrl, schema: env['POSTGRES_SCHEMA']! })
      : undefined;
  const pollMs = wake === 'nats' ? '250' : '600000';
  const runner = new ProcessRunner(
    { module: systemFile },
    {
      env,
      publish: bus ? busPublisher(bus) : (prompt) => pgWake!.notify(prompt),
      command: (app) => [
        process.execPath,
        cli,
        'system',
        'run',
        systemFile,
        '--app',
        app,
        '--nats',
        testNatsUrl,
        '--wake',
        wake,
        '--poll-ms',
        pollMs,
      ],
    },
  );
  runner.closed.then(
    async () => {
      await bus?.close();
      await pgWake?.close();
    },
    () => undefined,
  );
  return runner;
}

describe(
  'orders → reservations → payments, one OS process per application',
  { skip: !(services.pg && services.nats) },
  () => {
    it('reserves and pays every order exactly once (PostgreSQL + NATS)', async () => {
      await using runner = await openRunner(postgresEnv('orders_mp'), 'nats');
      await runner.start();
      const ids = await placeOrders(runner, 30);
      await assertProcessedOnce(runner, ids, 60_000);
    });

    it('wakes followers with PostgreSQL LISTEN/NOTIFY alone (no NATS, no timely poll)', async () => {
      await using runner = await openRunner(postgresEnv('orders_pg'), 'pg');
      await runner.start();
      const ids = await placeOrders(runner, 20);
      await assertProcessedOnce(runner, ids, 30_000);
    });

    it('a follower process SIGKILLed mid-stream restarts and processes every event exactly once', async () => {
      const env = postgresEnv('orders_mp');
      await using runner = await openRunner(env, 'nats');
      await runner.start();
      const first = await placeOrders(runner, 20, 2);
      const placing = placeOrders(runner, 40, 2);
      // Kill Reservations once it is working on the stream, while orders keep arriving.
      await runner.waitFor('reservations', 1, 30_000);
      const killed = runner.pid('reservations')!;
      process.kill(killed, 'SIGKILL');
      const ids = [...first, ...(await placing)];
      while (runner.restarts('reservations') < 1) await delay(20);
      await runner.ready('reservations');
      assert.notEqual(runner.pid('reservations'), killed);
      await assertProcessedOnce(runner, ids, 60_000);

      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, 'system', 'status', systemFile, '--json'],
        {
          env: { ...process.env, ...env },
        },
      );
      const rows = JSON.parse(stdout) as StoredStatus[];
      assert.deepEqual(
        rows.map((r) => [r.application, r.leader, r.lag, r.parked, r.state]),
        [
          ['orders', 'reservations', 0, 0, 'caught-up'],
          ['orders', 'payments', 0, 0, 'caught-up'],
          ['reservations', 'orders', 0, 0, 'caught-up'],
          ['payments', 'orders', 0, 0, 'caught-up'],
        ],
      );
    });
  },
);
