import {
  boundedPage,
  compareEventIds,
  compareEvents,
  compareTimestamps,
  firstIndex,
  invalidArgument,
  TimeseriesPager,
} from '@eventum/core';
import type {
  Event,
  QueryResult,
  QueryServerParams,
  QueryTimeseriesParams,
  Timestamp,
} from '@eventum/core';

import type { Span } from './span-index.js';
import type { SpanStore } from './store.js';

/** How much one page may hold: events and bytes of encoded events. */
export interface PageLimits {
  readonly maxResults: number;
  readonly maxBytes: number;
}

/** Events of one span file in timestamp order (stable: registration order within ties). */
export function byTimestamp(events: readonly Event[]): Event[] {
  const order = (a: Event, b: Event) =>
    compareTimestamps(a.timestamp, b.timestamp) || compareEvents(a, b);
  // Usually already sorted (one server, timestamps grow): skip the sort then.
  for (let i = 1; i < events.length; i++) {
    if (order(events[i - 1]!, events[i]!) > 0) return [...events].sort(order);
  }
  return [...events];
}

/**
 * A timeseries query. Ordered by timestamp it reads span files one at a time in result order
 * (only the spans the time bounds allow) and stops once the page is full; ordered by source
 * timestamp it merges spans (see {@link bySourceTimestamp}).
 */
export async function queryTimeseries(
  store: SpanStore,
  params: QueryTimeseriesParams,
  limits: PageLimits,
): Promise<QueryResult> {
  const spans = store.index.find(params.tFrom?.s ?? null, params.tTo?.s ?? null);
  const descending = (params.order ?? 'descending') === 'descending';
  const pager = new TimeseriesPager(params, limits.maxResults, limits.maxBytes);
  if ((params.orderBy ?? 'timestamp') === 'sourceTimestamp') {
    for await (const event of bySourceTimestamp(store, spans, descending)) {
      if (!pager.offer(event)) break;
    }
    return pager.result();
  }
  if (descending) spans.reverse();
  const { tFrom = null, tTo = null } = params;
  for (const span of spans) {
    // Each page starts at its time bound (a client pages by narrowing it), found by binary
    // search, so paging through a span reads each event once, not the span once per page.
    const events = sortedByTimestamp(await store.events(span));
    if (descending) {
      const start = tTo === null ? events.length : firstAfterTime(events, tTo);
      for (let i = start - 1; i >= 0; i--) if (!pager.offer(events[i]!)) return pager.result();
    } else {
      const start = tFrom === null ? 0 : firstAfterTime(events, tFrom, true);
      for (let i = start; i < events.length; i++)
        if (!pager.offer(events[i]!)) return pager.result();
    }
  }
  return pager.result();
}

/** Sorted views of span event lists, kept while the list is (the store's cache replaces a
 * span's list when it changes). */
const sortedViews = new WeakMap<readonly Event[], readonly Event[]>();

function sortedByTimestamp(events: readonly Event[]): readonly Event[] {
  let sorted = sortedViews.get(events);
  if (sorted === undefined) sortedViews.set(events, (sorted = byTimestamp(events)));
  return sorted;
}

/** Index of the first event after `t` (at or after it with `inclusive`). */
function firstAfterTime(events: readonly Event[], t: Timestamp, inclusive = false): number {
  const bound = inclusive ? 0 : 1;
  return firstIndex(events, (e) => compareTimestamps(e.timestamp, t) >= bound);
}

/** An event with its place in the spans (for ties: span order, then file order). */
interface Placed {
  readonly event: Event;
  readonly rank: number;
  readonly pos: number;
}

/** Ascending result order of the source-timestamp query: a total order over placed events. */
function compareSource(a: Placed, b: Placed): number {
  return (
    compareTimestamps(a.event.sourceTimestamp!, b.event.sourceTimestamp!) ||
    compareEvents(a.event, b.event) ||
    a.rank - b.rank ||
    a.pos - b.pos
  );
}

/**
 * The events of `spans` (in timestamp order) that have a source timestamp, ordered by it
 * (ties: natural order, then span and file order; `descending` is the exact reverse), as a
 * bounded k-way merge. Spans are opened in order of their min source timestamp (max when
 * descending, from the span stats; spans without source timestamps are skipped, spans without
 * stats opened first); buffered events are yielded once they come strictly before the next
 * unopened span's bound, so the buffer holds only the spans whose source ranges overlap.
 */
export async function* bySourceTimestamp(
  store: SpanStore,
  spans: readonly Span[],
  descending: boolean,
): AsyncGenerator<Event> {
  const sign = descending ? -1 : 1;
  const order: { span: Span; rank: number; bound: Timestamp | null }[] = [];
  for (const [rank, span] of spans.entries()) {
    const stats = store.index.stats.get(span.name);
    if (stats === undefined) order.push({ span, rank, bound: null });
    else if (stats.sourceMin !== null && stats.sourceMax !== null) {
      order.push({ span, rank, bound: descending ? stats.sourceMax : stats.sourceMin });
    }
  }
  order.sort((a, b) => {
    if (a.bound === null || b.bound === null)
      return (a.bound === null ? 0 : 1) - (b.bound === null ? 0 : 1);
    return sign * compareTimestamps(a.bound, b.bound);
  });
  let buffer: Placed[] = [];
  for (let next = 0; ; next++) {
    const limit = order[next];
    let emitted = 0;
    for (const placed of buffer) {
      if (limit !== undefined) {
        if (limit.bound === null) break;
        if (sign * compareTimestamps(placed.event.sourceTimestamp!, limit.bound) >= 0) break;
      }
      yield placed.event;
      emitted++;
    }
    buffer = buffer.slice(emitted);
    if (limit === undefined) return;
    for (const [pos, event] of (await store.events(limit.span)).entries()) {
      if (event.sourceTimestamp !== null) buffer.push({ event, rank: limit.rank, pos });
    }
    buffer.sort((a, b) => sign * compareSource(a, b));
  }
}

/**
 * A server query: the span stats (min and max id per server) pick the spans that may hold an
 * event of the server after `lastEventId`; only those are read, oldest first (a server's ids
 * grow with its timestamps), and the read stops once the page is full. Spans without stats
 * are checked by their headers.
 */
export async function queryServer(
  store: SpanStore,
  params: QueryServerParams,
  limits: PageLimits,
): Promise<QueryResult> {
  const cap = limits.maxResults;
  const after = params.lastEventId ?? null;
  if (after !== null && after.server !== params.serverId) {
    throw invalidArgument(
      `lastEventId.server (${after.server}) differs from serverId (${params.serverId})`,
    );
  }
  const max = Math.max(0, Math.min(params.maxResults ?? cap, cap));
  const persisted = params.persisted ?? false;
  const wanted = (e: Event) =>
    e.id.server === params.serverId && (after === null || compareEventIds(e.id, after) > 0);
  const found: Event[] = [];
  for (const span of store.index.all) {
    const stats = store.index.stats.get(span.name);
    if (stats === undefined) {
      if (!(await store.headers(span, persisted)).some(wanted)) continue;
    } else {
      const range = stats.servers.get(params.serverId);
      if (range === undefined || (after !== null && compareEventIds(range.max, after) <= 0)) {
        continue;
      }
    }
    const events = (await store.events(span, persisted)).filter(wanted);
    // One by one: spreading a span's events as arguments overflows the stack past ~100k.
    for (const event of events.sort((a, b) => compareEventIds(a.id, b.id))) found.push(event);
    if (found.length > max) break;
  }
  return boundedPage(found, max, limits.maxBytes);
}
