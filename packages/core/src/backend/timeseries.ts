import { Subscription } from '../matching/subscription.js';
import type { Event } from '../model/event.js';
import { eventIdEquals } from '../model/event-id.js';
import type { QueryResult, QueryTimeseriesParams } from '../model/query.js';
import { compareTimestamps } from '../model/timestamp.js';
import type { Timestamp } from '../model/timestamp.js';

/**
 * Applies a timeseries query's filters to `events`, which are already in result order: the
 * `lastEventId` sentinel (skip up to and including it; never found → empty), inclusive time
 * bounds, the event-type filter, and the page size `min(maxResults, cap)` with `moreFollows`.
 * Shared by backends that can produce their candidates in result order.
 */
export function timeseriesPage(
  events: Iterable<Event>,
  params: QueryTimeseriesParams,
  cap: number,
): QueryResult {
  const max = Math.max(0, Math.min(params.maxResults ?? cap, cap));
  const accepts = timeseriesFilter(params);
  const sentinel = params.lastEventId ?? null;
  let skipping = sentinel !== null;
  const page: Event[] = [];
  for (const event of events) {
    if (skipping) {
      if (sentinel !== null && eventIdEquals(event.id, sentinel)) skipping = false;
      continue;
    }
    if (!accepts(event)) continue;
    if (page.length === max) return { events: page, moreFollows: true };
    page.push(event);
  }
  return { events: page, moreFollows: false };
}

/** The per-event part of a timeseries query: time bounds and event types. */
export function timeseriesFilter(params: QueryTimeseriesParams): (event: Event) => boolean {
  const types = params.eventTypes == null ? null : new Subscription(params.eventTypes);
  const { tFrom = null, tTo = null, sourceTFrom = null, sourceTTo = null } = params;
  const sourceBounded = sourceTFrom !== null || sourceTTo !== null;
  return (event) => {
    if (!within(event.timestamp, tFrom, tTo)) return false;
    if (sourceBounded) {
      if (event.sourceTimestamp === null) return false;
      if (!within(event.sourceTimestamp, sourceTFrom, sourceTTo)) return false;
    }
    return types === null || types.matches(event.type);
  };
}

function within(t: Timestamp, from: Timestamp | null, to: Timestamp | null): boolean {
  return (
    (from === null || compareTimestamps(t, from) >= 0) &&
    (to === null || compareTimestamps(t, to) <= 0)
  );
}
