import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import type { Event } from '../model/event.js';
import { compareTimestamps } from '../model/timestamp.js';
import type { Timestamp } from '../model/timestamp.js';
import { OrderedEvents } from './ordered-events.js';

const time = (s: number): Timestamp => ({ s, us: 0 });

function event(instance: number, s: number): Event {
  return {
    id: { server: 1, session: 1, instance },
    type: ['a'],
    timestamp: time(s),
    sourceTimestamp: null,
    payload: null,
  };
}

describe('OrderedEvents', () => {
  it('returns a time range in key order whatever the insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        fc.option(fc.integer({ min: 0, max: 20 })),
        fc.option(fc.integer({ min: 0, max: 20 })),
        fc.boolean(),
        (seconds, from, to, descending) => {
          const events = seconds.map((s, i) => event(i + 1, s));
          const ordered = new OrderedEvents((e) => e.timestamp);
          events.forEach((e) => ordered.insert(e));
          const low = from === null ? null : time(from);
          const high = to === null ? null : time(to);
          // Reference: a stable sort by time (ties keep insertion order, here the id order).
          const expected = events
            .filter((e) => low === null || compareTimestamps(e.timestamp, low) >= 0)
            .filter((e) => high === null || compareTimestamps(e.timestamp, high) <= 0)
            .sort(
              (a, b) =>
                compareTimestamps(a.timestamp, b.timestamp) || a.id.instance - b.id.instance,
            );
          if (descending) expected.reverse();
          assert.deepEqual([...ordered.range(low, high, descending)], expected);
          assert.equal(ordered.size, events.length);
        },
      ),
    );
  });

  it('stops reading at the far bound', () => {
    const ordered = new OrderedEvents((e) => e.timestamp);
    for (let s = 0; s < 100; s++) ordered.insert(event(s + 1, s));
    const range = ordered.range(time(10), time(12), false);
    assert.deepEqual(
      [...range].map((e) => e.timestamp.s),
      [10, 11, 12],
    );
  });
});
