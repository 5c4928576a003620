import { encodedEventSize } from '../codec/limits.js';
import { Subscription } from '../matching/subscription.js';
import type { Event, EventHeader } from '../model/event.js';
import { eventIdEquals } from '../model/event-id.js';
import type { EventId } from '../model/event-id.js';
import type { QueryResult, QueryTimeseriesParams } from '../model/query.js';
import { compareTimestamps } from '../model/timestamp.js';
import type { Timestamp } from '../model/timestamp.js';
import { PageBudget } from './page-budget.js';

/**
 * Applies a timeseries query's filters to `events`, which are already in result order: the
 * `lastEventId` sentinel (skip up to and including it; never found → empty), inclusive time
 * bounds, the event-type filter, and the page size `min(maxResults, cap)` events and `maxBytes`
 * bytes (see {@link PageBudget}) with `moreFollows`. Shared by backends that can produce their
 * candidates in result order.
 */
export function timeseriesPage(
  events: Iterable<Event>,
  params: QueryTimeseriesParams,
  cap: number,
  maxBytes: number,
): QueryResult {
  const pager = new TimeseriesPager(params, cap, maxBytes);
  for (const event of events) if (!pager.offer(event)) break;
  return pager.result();
}

/**
 * The incremental form of {@link timeseriesPage}, for candidates that arrive piece by piece
 * (e.g. file by file): `offer` each event in result order until it returns false, then `result`.
 */
export class TimeseriesPager {
  readonly #accepts: (event: Event) => boolean;
  readonly #sentinel: EventId | null;
  readonly #budget: PageBudget;
  readonly #page: Event[] = [];
  #skipping: boolean;
  #moreFollows = false;

  constructor(params: QueryTimeseriesParams, cap: number, maxBytes: number) {
    this.#budget = new PageBudget(Math.min(params.maxResults ?? cap, cap), maxBytes);
    this.#accepts = timeseriesFilter(params);
    this.#sentinel = params.lastEventId ?? null;
    this.#skipping = this.#sentinel !== null;
  }

  /** Takes the next candidate; false once the page is full (more follow) and nothing more is
   * needed. */
  offer(event: Event): boolean {
    if (this.#moreFollows) return false;
    if (this.#skipping) {
      if (this.#sentinel !== null && eventIdEquals(event.id, this.#sentinel))
        this.#skipping = false;
      return true;
    }
    if (!this.#accepts(event)) return true;
    if (!this.#budget.take(encodedEventSize(event))) {
      this.#moreFollows = true;
      return false;
    }
    this.#page.push(event);
    return true;
  }

  result(): QueryResult {
    return { events: this.#page, moreFollows: this.#moreFollows };
  }
}

/** The per-event part of a timeseries query: time bounds and event types. */
export function timeseriesFilter(params: QueryTimeseriesParams): (event: EventHeader) => boolean {
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

/**
 * Binary search: the first index of `sorted` where `past` holds, given that it is false for a
 * prefix of the array and true for the rest (`sorted.length` when it never holds).
 */
export function firstIndex<T>(sorted: readonly T[], past: (item: T) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (past(sorted[mid] as T)) high = mid;
    else low = mid + 1;
  }
  return low;
}
