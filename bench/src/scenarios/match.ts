/**
 * Matching: how fast event types are matched against 10,000 subscriptions, the way the server
 * routes notifications to connections and the LMDB backend routes events to partitions.
 * - `collection-get`: one EventTypeCollection holding 10,000 subscriptions (one per value);
 *   each op is one `get(eventType)` returning every matching value.
 * - `subscription-matches`: one Subscription built from 10,000 query types; each op is one
 *   `matches(eventType)`.
 * Run: `npm run bench -- match` (needs nothing but a build).
 */
import { EventTypeCollection, Subscription } from '@eventum/core';
import type { EventType } from '@eventum/core';

import { measureRounds } from '../harness.js';
import type { Scenario } from '../scenario.js';

/** Query types like `plant/<p>/line/<l>/<signal>` with a mix of exact, `?` and `*` patterns. */
function queryTypes(count: number): EventType[] {
  const types: EventType[] = [];
  for (let i = 0; i < count; i++) {
    const plant = `p${i % 100}`;
    const line = `l${Math.floor(i / 100) % 100}`;
    if (i % 10 === 0) types.push(['plant', plant, 'line', '?', `s${i % 7}`]);
    else if (i % 10 === 1) types.push(['plant', plant, 'line', line, '*']);
    else types.push(['plant', plant, 'line', line, `s${i}`]);
  }
  return types;
}

function eventTypes(count: number): EventType[] {
  const types: EventType[] = [];
  for (let i = 0; i < count; i++) {
    types.push(['plant', `p${i % 100}`, 'line', `l${(i * 7) % 100}`, `s${i % 13}`]);
  }
  return types;
}

export const matchScenario: Scenario = {
  name: 'match',
  async run({ quick, report }) {
    const subscriptions = quick ? 1_000 : 10_000;
    const ops = quick ? 20_000 : 1_000_000;
    const rounds = quick ? 2 : 7;
    const events = eventTypes(1024);
    const collection = new EventTypeCollection<number>();
    queryTypes(subscriptions).forEach((t, i) => collection.add(new Subscription([t]), i));
    let sink = 0;
    const get = await measureRounds(
      () => {
        for (let i = 0; i < ops; i++) sink += collection.get(events[i & 1023]!).size;
      },
      { ops, rounds },
    );
    report({ scenario: 'match/collection-get', params: { subscriptions }, ...get, rounds });
    const subscription = new Subscription(queryTypes(subscriptions));
    const matches = await measureRounds(
      () => {
        for (let i = 0; i < ops; i++) if (subscription.matches(events[i & 1023]!)) sink++;
      },
      { ops, rounds },
    );
    report({
      scenario: 'match/subscription-matches',
      params: { subscriptions },
      ...matches,
      rounds,
    });
    if (sink === -1) console.log(sink); // keeps the work observable to the optimiser
  },
};
