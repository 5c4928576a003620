import {
  compareEventIds,
  compareEvents,
  compareTimestamps,
  invalidArgument,
  TimeseriesPager,
  timeseriesPage,
} from '@eventum/core';
import type { Event, QueryResult, QueryServerParams, QueryTimeseriesParams } from '@eventum/core';

import type { SpanStore } from './store.js';

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
 * timestamp it reads every span in the time bounds and sorts them.
 */
export async function queryTimeseries(
  store: SpanStore,
  params: QueryTimeseriesParams,
  cap: number,
): Promise<QueryResult> {
  const spans = store.index.find(params.tFrom?.s ?? null, params.tTo?.s ?? null);
  const descending = (params.order ?? 'descending') === 'descending';
  if ((params.orderBy ?? 'timestamp') === 'sourceTimestamp') {
    const events: Event[] = [];
    for (const span of spans) {
      for (const e of await store.events(span)) if (e.sourceTimestamp !== null) events.push(e);
    }
    events.sort(
      (a, b) => compareTimestamps(a.sourceTimestamp!, b.sourceTimestamp!) || compareEvents(a, b),
    );
    if (descending) events.reverse();
    return timeseriesPage(events, params, cap);
  }
  if (descending) spans.reverse();
  const pager = new TimeseriesPager(params, cap);
  for (const span of spans) {
    const events = byTimestamp(await store.events(span));
    if (descending) events.reverse();
    for (const event of events) if (!pager.offer(event)) return pager.result();
  }
  return pager.result();
}

/**
 * A server query: spans are read oldest first, headers only, and parsed fully only when they
 * hold an event of the server after `lastEventId` (a server's ids grow with its timestamps).
 */
export async function queryServer(
  store: SpanStore,
  params: QueryServerParams,
  cap: number,
): Promise<QueryResult> {
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
    if (!(await store.headers(span, persisted)).some(wanted)) continue;
    const events = (await store.events(span, persisted)).filter(wanted);
    found.push(...events.sort((a, b) => compareEventIds(a.id, b.id)));
    if (found.length > max) break;
  }
  return { events: found.slice(0, max), moreFollows: found.length > max };
}
