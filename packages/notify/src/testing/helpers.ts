import type { Bus, BusEvent } from '@eventum/core';
import { takeEvents, uniqueRoot } from '@eventum/testing';

import { createNotifier } from '../notifier.js';
import type { NotifySubscription } from '../subscription.js';

export type OpenBus = () => Promise<Bus>;

/** A notifier on a fresh bus with a subject prefix no other test uses. */
export async function withNotifier(
  open: OpenBus,
  body: (notifier: ReturnType<typeof make>, bus: Bus) => Promise<void>,
): Promise<void> {
  const bus = await open();
  try {
    await body(make(bus), bus);
  } finally {
    await bus.close();
  }
}

/** A notifier of ION's catalogue on `bus`, with a fresh subject prefix unless given. */
export function make(bus: Bus, system = 'test', subjectPrefix = `${uniqueRoot()}.events`) {
  return createNotifier({ bus, system, subjectPrefix });
}

/** Reads `count` notifications, failing (not hanging) if they do not come. */
export async function take<N>(subscription: NotifySubscription<N>, count: number): Promise<N[]> {
  return (await takeEvents(subscription as unknown as AsyncIterable<BusEvent>, count)) as N[];
}

/** True when `subscription` yields nothing within `quietMs` (or ended). Leaves a read pending
 * that swallows the next notification: make it the subscription's last read. */
export async function nothingMore<N>(
  subscription: NotifySubscription<N>,
  quietMs = 200,
): Promise<boolean> {
  const next = subscription.next();
  const quiet = new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), quietMs));
  const result = await Promise.race([next, quiet]);
  return result === 'quiet' || result.done === true;
}
