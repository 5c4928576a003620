import type { BusEvent, BusSubscription } from '@eventum/core';

/**
 * Reads `count` events from `subscription`, failing (not hanging) when they have not all arrived
 * within `timeoutMs`. The timeout is a guard against a hung test, not a timing assertion.
 */
export async function takeEvents(
  subscription: AsyncIterable<BusEvent>,
  count: number,
  timeoutMs = 10_000,
): Promise<BusEvent[]> {
  const events: BusEvent[] = [];
  if (count === 0) return events;
  const iterator = subscription[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`got ${events.length} of ${count} events within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    while (events.length < count) {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done === true) throw new Error(`subscription ended after ${events.length} events`);
      events.push(result.value);
    }
    return events;
  } finally {
    clearTimeout(timer);
  }
}

/** True when `subscription` yields nothing more (it ended) or nothing within `quietMs`. It leaves
 * a read pending that swallows the next event: make it the subscription's last read. */
export async function nothingMore(subscription: BusSubscription, quietMs = 200): Promise<boolean> {
  const next = subscription[Symbol.asyncIterator]().next();
  const quiet = new Promise<'quiet'>((resolve) => setTimeout(() => resolve('quiet'), quietMs));
  const result = await Promise.race([next, quiet]);
  return result === 'quiet' || result.done === true;
}
