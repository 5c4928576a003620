import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

import { settle } from '@eventum/sourcing';
import type { Runner } from '@eventum/sourcing';

import type { OrderView } from './system.js';

/** Creates `count` orders, `concurrency` at a time; resolves with their ids. */
export async function placeOrders(
  runner: Runner,
  count: number,
  concurrency = 4,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - i) }, (_, j) =>
      runner.call('orders', 'createOrder', `item-${i + j}`, 1 + ((i + j) % 5)),
    );
    for (const r of await Promise.all(batch)) ids.push((r as { id: string }).id);
  }
  return ids;
}

/**
 * The assertions every runner must pass once the system settled: each order was reserved
 * once and paid once, and there is exactly one reservation and one payment per order.
 *
 * On PostgreSQL "settled" is what readers can see: another session's open transaction holds
 * the visibility fence (docs/sourcing.md), so events committed after it may be invisible for a
 * while and the system looks settled early. The check is then repeated until `timeoutMs`;
 * counts only grow, so a duplicate never turns into a pass.
 */
export async function assertProcessedOnce(
  runner: Runner,
  ids: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await settle(runner, Math.max(1, deadline - Date.now()));
    const failure = await check(runner, ids).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    if (failure === undefined) break;
    if (Date.now() >= deadline) throw failure;
    await delay(50);
  }
  for (const s of await runner.status()) {
    assert.equal(s.lag, 0, `${s.application} behind ${s.leader}`);
    assert.equal(s.state, 'caught-up');
  }
  assert.deepEqual(runner.errors, []);
}

async function check(runner: Runner, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const order = (await runner.call('orders', 'getOrder', id)) as OrderView;
    assert.deepEqual(order, { id, reservations: 1, payments: 1, version: 3 }, `order ${id}`);
  }
  assert.equal(await runner.call('reservations', 'count'), ids.length);
  assert.equal(await runner.call('payments', 'count'), ids.length);
}
