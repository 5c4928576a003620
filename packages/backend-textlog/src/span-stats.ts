import { compareEventIds, compareTimestamps } from '@eventum/core';
import type { Event, EventId, Timestamp } from '@eventum/core';

/** The smallest and greatest event id one server has in a span file. */
export interface IdRange {
  min: EventId;
  max: EventId;
}

/**
 * What a span file (with its unflushed events) may hold: per origin server the min and max
 * event id, and the min and max source timestamp (`null` when no event has one). Kept
 * conservative: deleting an event may leave the ranges wider than the file, never narrower.
 */
export interface SpanStats {
  readonly servers: Map<number, IdRange>;
  sourceMin: Timestamp | null;
  sourceMax: Timestamp | null;
}

/** Stats of no event. */
export const emptyStats = (): SpanStats => ({
  servers: new Map(),
  sourceMin: null,
  sourceMax: null,
});

/** Widens `stats` to cover `event`. */
export function cover(stats: SpanStats, event: Event): void {
  const range = stats.servers.get(event.id.server);
  if (range === undefined) stats.servers.set(event.id.server, { min: event.id, max: event.id });
  else {
    if (compareEventIds(event.id, range.min) < 0) range.min = event.id;
    if (compareEventIds(event.id, range.max) > 0) range.max = event.id;
  }
  const source = event.sourceTimestamp;
  if (source === null) return;
  if (stats.sourceMin === null || compareTimestamps(source, stats.sourceMin) < 0) {
    stats.sourceMin = source;
  }
  if (stats.sourceMax === null || compareTimestamps(source, stats.sourceMax) > 0) {
    stats.sourceMax = source;
  }
}

/** The stats of `events`. */
export function statsOf(events: Iterable<Event>): SpanStats {
  const stats = emptyStats();
  for (const event of events) cover(stats, event);
  return stats;
}

/** The state-file form: `[server, min session, min instance, max session, max instance]`s. */
export interface StatsJson {
  servers: [number, number, number, number, number][];
  /** `[min s, min us, max s, max us]`, or `null` when no event has a source timestamp. */
  source: [number, number, number, number] | null;
}

export function statsToJson(stats: SpanStats): StatsJson {
  const { sourceMin: lo, sourceMax: hi } = stats;
  return {
    servers: [...stats.servers].map(([server, { min, max }]) => [
      server,
      min.session,
      min.instance,
      max.session,
      max.instance,
    ]),
    source: lo === null || hi === null ? null : [lo.s, lo.us, hi.s, hi.us],
  };
}

export function statsFromJson(json: StatsJson): SpanStats {
  const stats = emptyStats();
  for (const [server, minSession, minInstance, maxSession, maxInstance] of json.servers) {
    stats.servers.set(server, {
      min: { server, session: minSession, instance: minInstance },
      max: { server, session: maxSession, instance: maxInstance },
    });
  }
  if (json.source !== null) {
    const [s0, us0, s1, us1] = json.source;
    stats.sourceMin = { s: s0, us: us0 };
    stats.sourceMax = { s: s1, us: us1 };
  }
  return stats;
}
