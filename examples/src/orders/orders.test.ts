import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { ConcurrentRunner, SingleThreadedRunner, WorkerRunner } from '@eventum/sourcing';
import type { Runner, RunnerOptions } from '@eventum/sourcing';
import { requireService, tempDir, testPgUrl } from '@eventum/testing';

import { postgresEnv } from './pg-env.js';
import { assertProcessedOnce, placeOrders } from './scenario.js';
import { system } from './system.js';

const dir = await tempDir('eventum-orders-');
after(() => dir.remove());
const hasPg = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('orders on PostgreSQL', (t) => t.skip(reason));
});
const fresh = (): string => randomBytes(4).toString('hex');
const stores: [string, () => RunnerOptions][] = [
  ['memory', () => ({ env: { PERSISTENCE_MODULE: 'memory' } })],
  [
    'LMDB',
    () => ({ env: { PERSISTENCE_MODULE: 'lmdb', LMDB_PATH: join(dir.path, `${fresh()}.mdb`) } }),
  ],
  ...(hasPg
    ? [['PostgreSQL', () => ({ env: postgresEnv('orders') })] as [string, () => RunnerOptions]]
    : []),
];
const module = new URL('./system.js', import.meta.url).href;
const runners: [string, (options: RunnerOptions) => Runner][] = [
  ['single-threaded', (o) => new SingleThreadedRunner(system, o)],
  ['concurrent', (o) => new ConcurrentRunner(system, o)],
  ['worker-threads', (o) => new WorkerRunner({ module }, o)],
];

for (const [kind, make] of runners) {
  for (const [store, options] of stores) {
    describe(`orders → reservations → payments, ${kind} runner on ${store}`, () => {
      it('reserves and pays every order exactly once', async () => {
        await using runner = make(options());
        await runner.start();
        const ids = await placeOrders(runner, 40);
        await assertProcessedOnce(runner, ids);
      });

      it('carries the order’s correlation id to the payment it caused', async () => {
        await using runner = make(options());
        await runner.start();
        const [id] = await placeOrders(runner, 1);
        await assertProcessedOnce(runner, [id!]);
        const payment = (await runner.call('payments', 'lastPaymentMeta')) as {
          correlationId: string;
          causationId: string;
        };
        const created = (await runner.call('orders', 'eventMeta', id, 1)) as { eventId: string };
        const reserved = (await runner.call('orders', 'eventMeta', id, 2)) as {
          eventId: string;
          correlationId: string;
        };
        assert.equal(reserved.correlationId, created.eventId);
        assert.equal(payment.correlationId, created.eventId);
        assert.equal(payment.causationId, reserved.eventId);
      });
    });
  }
}
