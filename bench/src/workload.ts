/**
 * The events every comparison scenario registers, for eventum and its peers alike: a 4-segment
 * type under `plant` (10 plants x 100 signals) and a ~100-byte JSON payload, the shape of
 * `codec.ts`'s sample events.
 */
import type { Event, EventId, RegisterEvent, Timestamp } from '@eventum/core';

/** `count` events numbered from `offset`; the number shows in the source time and payload. */
export function workloadEvents(offset: number, count: number): RegisterEvent[] {
  const events: RegisterEvent[] = [];
  for (let n = offset; n < offset + count; n++) {
    events.push({
      type: ['plant', `p${n % 10}`, 'line', `s${n % 100}`],
      sourceTimestamp: { s: 1_700_000_000 + Math.floor(n / 1_000_000), us: n % 1_000_000 },
      payload: {
        type: 'json',
        data: {
          value: n * 1.5,
          quality: 'good',
          unit: 'degC',
          source: 'line sensor 4',
          tags: ['a', 'b'],
          seq: n,
        },
      },
    });
  }
  return events;
}

/** `event` as a server would store it, with the id and timestamp it assigned. */
export function storedEvent(event: RegisterEvent, id: EventId, timestamp: Timestamp): Event {
  return {
    id,
    type: event.type,
    timestamp,
    sourceTimestamp: event.sourceTimestamp ?? null,
    payload: event.payload ?? null,
  };
}

/** One event of each of `count` types `<prefix>/<i>`, for the latest-value scenario. */
export function latestEvents(prefix: string, count: number): RegisterEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: [prefix, String(i)],
    payload: { type: 'json', data: { value: i } },
  }));
}

/** A fan-out event: its payload carries the monotonic clock reading at publication, in µs.
 * `process.hrtime` reads CLOCK_MONOTONIC, which every process on the machine shares, so a
 * subscriber in another process can subtract it from its own reading. */
export function fanoutEvent(prefix: string, seq: number): RegisterEvent {
  return {
    type: [prefix, String(seq % 10)],
    payload: { type: 'json', data: { seq, sentAtUs: monotonicMicros() } },
  };
}

export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
