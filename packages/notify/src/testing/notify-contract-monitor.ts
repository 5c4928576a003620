import assert from 'node:assert/strict';
import { it } from 'node:test';

import { waitFor } from '@eventum/testing';

import { createEventMonitor } from '../monitor.js';
import type { EventMonitor, MonitorSubscriptionData } from '../monitor.js';
import { make, withNotifier } from './helpers.js';
import type { OpenBus } from './helpers.js';

/** Polls incrementally until `count` notifications arrived in total; returns them per subscription. */
async function pollUntil(
  monitor: EventMonitor,
  session: string,
  count: number,
): Promise<Map<string, string[]>> {
  const got = new Map<string, string[]>();
  let total = 0;
  const add = (data: MonitorSubscriptionData[]) => {
    for (const d of data) {
      const list = got.get(d.subscriptionId) ?? [];
      list.push(...d.notifications.map((n) => `${n.kind}@${n.origin}`));
      got.set(d.subscriptionId, list);
      total += d.notifications.length;
    }
    return total >= count;
  };
  await waitFor(() => add(monitor.getData(session)), { timeoutMs: 10_000 });
  return got;
}

export function monitorTests(open: OpenBus): void {
  it('monitor: session subscriptions by kind and origin, polled incrementally', () =>
    withNotifier(open, async (notifier) => {
      await using monitor = createEventMonitor(notifier);
      const byKind = await monitor.subscribe('s1', { kind: 'process-lifecycle' });
      const byOrigin = await monitor.subscribe('s1', { origin: 'svc.>' });
      const other = await monitor.subscribe('s2', { kind: 3003 });
      notifier.publish('process-lifecycle', { origin: 'svc.a', state: 'READY' });
      notifier.publish('logging-info', { origin: 'svc.b' });
      notifier.publish('process-lifecycle', { origin: 'x', state: 'ERROR' });
      const first = await pollUntil(monitor, 's1', 4);
      assert.deepEqual(first.get(byKind), ['process-lifecycle@svc.a', 'process-lifecycle@x']);
      assert.deepEqual(first.get(byOrigin), ['process-lifecycle@svc.a', 'logging-info@svc.b']);
      assert.deepEqual(
        monitor.getData('s1').map((d) => d.notifications.length),
        [0, 0],
      );
      notifier.publish('logging-info', { origin: 'svc.c' });
      const second = await pollUntil(monitor, 's1', 1);
      assert.deepEqual(second.get(byOrigin), ['logging-info@svc.c']);
      const s2 = await pollUntil(monitor, 's2', 2);
      assert.deepEqual(s2.get(other), ['logging-info@svc.b', 'logging-info@svc.c']);
      assert.deepEqual(
        monitor.getData('s1', { subscriptionIds: [byKind] })[0]?.pattern,
        `${notifier.subjectPrefix}.1052.>`,
      );
    }));

  it('monitor: getData since a time, unsubscribe one or all, a bounded buffer', () =>
    withNotifier(open, async (notifier) => {
      await using monitor = createEventMonitor(notifier, { maxPerSubscription: 3 });
      const a = await monitor.subscribe('s', { origin: 'o' });
      const b = await monitor.subscribe('s', { kind: 'logging-error' });
      for (let i = 1; i <= 5; i++) notifier.publish('logging-error', { origin: 'o', datetime: i });
      await pollUntil(monitor, 's', 6);
      const since = monitor.getData('s', { since: 4, subscriptionIds: [a] });
      assert.deepEqual(
        since[0]?.notifications.map((n) => n.data.datetime),
        [4, 5],
      );
      const all = monitor.getData('s', { since: 0 });
      assert.deepEqual(
        all.map((d) => [d.notifications.map((n) => n.data.datetime), d.dropped]),
        [
          [[3, 4, 5], 2],
          [[3, 4, 5], 2],
        ],
      );
      assert.equal(await monitor.unsubscribe('s', a), 1);
      assert.deepEqual(
        monitor.getData('s', { since: 0 }).map((d) => d.subscriptionId),
        [b],
      );
      assert.throws(() => monitor.getData('s', { subscriptionIds: [a] }), {
        code: 'ERR_NOT_FOUND',
      });
      await assert.rejects(monitor.unsubscribe('s', a), { code: 'ERR_NOT_FOUND' });
      await monitor.subscribe('s', {});
      assert.equal(await monitor.unsubscribe('s'), 2);
      assert.deepEqual(monitor.sessions, []);
      assert.deepEqual(monitor.getData('s'), []);
      await assert.rejects(monitor.subscribe('s', { kind: 'nope' }), {
        code: 'ERR_INVALID_ARGUMENT',
      });
    }));

  it('monitor: closing ends every subscription; a closed monitor refuses new ones', async () => {
    const bus = await open();
    try {
      const monitor = createEventMonitor(make(bus));
      await monitor.subscribe('s', {});
      await monitor.close();
      await assert.rejects(monitor.subscribe('s', {}), { code: 'ERR_CLOSED' });
    } finally {
      await bus.close();
    }
  });
}
