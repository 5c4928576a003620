import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConcurrentRunner, SingleThreadedRunner } from '@eventum/sourcing';
import type { Runner, RunnerOptions } from '@eventum/sourcing';

import { assertProcessedOnce, placeOrders } from './scenario.js';
import { system } from './system.js';

const memory: RunnerOptions = { env: { PERSISTENCE_MODULE: 'memory' } };
const runners: [string, () => Runner][] = [
  ['single-threaded', () => new SingleThreadedRunner(system, memory)],
  ['concurrent', () => new ConcurrentRunner(system, memory)],
];

for (const [kind, make] of runners) {
  describe(`orders → reservations → payments, ${kind} runner`, () => {
    it('reserves and pays every order exactly once', async () => {
      await using runner = make();
      await runner.start();
      const ids = await placeOrders(runner, 40);
      await assertProcessedOnce(runner, ids);
    });

    it('carries the order’s correlation id to the payment it caused', async () => {
      await using runner = make();
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
