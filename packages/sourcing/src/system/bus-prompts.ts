import { invalidArgument } from '@eventum/core';
import type { Bus, BusSubscription } from '@eventum/core';

import type { Prompt } from './leader-log.js';

/** The bus topic of application `leader`'s prompts. */
export function promptTopic(leader: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(leader))
    throw invalidArgument(
      `application name ${JSON.stringify(leader)} cannot be a bus subject token`,
    );
  return `eventum.sourcing.${leader}.prompt`;
}

/**
 * Publishes a leader's prompts on the bus: positions only (followers in other processes read
 * the log themselves), fire-and-forget. A lost prompt delays a follower until its safety
 * timer, never loses an event.
 */
export function busPublisher(bus: Bus): (prompt: Prompt) => void {
  return (prompt) =>
    bus.publish(
      promptTopic(prompt.leader),
      { leader: prompt.leader, previousMax: prompt.previousMax, max: prompt.max },
      { type: 'prompt' },
    );
}

/** Hands every prompt of `leaders` published on the bus to `receive`; resolves once the
 * subscriptions are registered. Close the returned subscriptions to stop. */
export async function subscribePrompts(
  bus: Bus,
  leaders: readonly string[],
  receive: (prompt: Prompt) => void,
): Promise<BusSubscription[]> {
  const subscriptions = leaders.map((leader) => bus.subscribe(promptTopic(leader)));
  for (const subscription of subscriptions) {
    void (async () => {
      for await (const event of subscription) {
        const p = event.payload;
        if (typeof p['leader'] === 'string' && typeof p['max'] === 'number')
          receive({ leader: p['leader'], previousMax: Number(p['previousMax']), max: p['max'] });
      }
    })();
  }
  await Promise.all(subscriptions.map((s) => s.ready));
  return subscriptions;
}
