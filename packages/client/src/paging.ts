import { ProtocolError, eventIdEquals, invalidArgument } from '@eventum/core';
import type {
  Event,
  EventId,
  QueryParams,
  QueryResult,
  QueryServerParams,
  QueryTimeseriesParams,
} from '@eventum/core';

/** Anything that answers queries: an `EventerClient`, a `Backend`, or a plain function. */
export type QuerySource =
  | ((params: QueryParams) => Promise<QueryResult>)
  | { query(params: QueryParams): Promise<QueryResult> };

/** Events `queryAll` collects at most unless told otherwise. */
export const DEFAULT_QUERY_ALL_MAX_EVENTS = 100_000;

/** Options of {@link queryAll}. */
export interface QueryAllOptions {
  /** Stop after this many events (default {@link DEFAULT_QUERY_ALL_MAX_EVENTS}). */
  readonly maxEvents?: number;
}

/**
 * Pages through a timeseries query: yields each non-empty page in result order until the server
 * says no more follow. Each next page asks for events after the previous page's last event
 * (`lastEventId`) and also narrows the time bound to that event's ordering key (descending:
 * `tTo`/`sourceTTo`; ascending: `tFrom`/`sourceTFrom`), which selects the same remaining events
 * but lets the server seek to them instead of rescanning from the start. Page size is the
 * server's `maxResults` (capped by the server).
 *
 * Consistency: pages are separate queries. Events registered meanwhile may or may not appear,
 * and if the sentinel event disappears between pages (e.g. storage cleanup) the server returns
 * an empty page and paging ends early (Hat semantics of `lastEventId`).
 */
export function queryPages(
  source: QuerySource,
  params: QueryTimeseriesParams,
): AsyncGenerator<readonly Event[], void, undefined> {
  return pages(source, params, narrowTimeseries);
}

/**
 * Pages through a server query (events of one origin server in id order): each next page starts
 * strictly after the previous page's last event id. Yields each non-empty page.
 */
export function queryServerPages(
  source: QuerySource,
  params: QueryServerParams,
): AsyncGenerator<readonly Event[], void, undefined> {
  return pages(source, params, (current, last) => ({ ...current, lastEventId: last.id }));
}

/** Yields each non-empty page of `params`, asking for the next with `next(params, lastEvent)`. */
async function* pages<P extends QueryTimeseriesParams | QueryServerParams>(
  source: QuerySource,
  params: P,
  next: (current: P, last: Event) => P,
): AsyncGenerator<readonly Event[], void, undefined> {
  const query = toQueryFn(source);
  let current = params;
  for (;;) {
    const result = await query(current);
    const last = result.events[result.events.length - 1];
    if (last === undefined) return;
    yield result.events;
    if (!result.moreFollows) return;
    checkEventIdAdvanced(current.lastEventId, last);
    current = next(current, last);
  }
}

/**
 * Collects every page of `params` (latest queries are a single page) into one result. At most
 * `maxEvents` events are collected: when more exist, the result holds the first `maxEvents` and
 * `moreFollows: true` (page on with `lastEventId` = the last one), so memory stays bounded.
 */
export async function queryAll(
  source: QuerySource,
  params: QueryParams,
  options: QueryAllOptions = {},
): Promise<QueryResult> {
  const maxEvents = options.maxEvents ?? DEFAULT_QUERY_ALL_MAX_EVENTS;
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 0) {
    throw invalidArgument(`maxEvents must be an integer ≥ 0, got ${maxEvents}`);
  }
  if (params.type === 'latest') return toQueryFn(source)(params);
  const pages =
    params.type === 'timeseries' ? queryPages(source, params) : queryServerPages(source, params);
  const events: Event[] = [];
  for await (const page of pages) {
    for (const event of page) {
      if (events.length === maxEvents) return { events, moreFollows: true };
      events.push(event);
    }
  }
  return { events, moreFollows: false };
}

/** The parameters of the page after `last`: sentinel plus the bound narrowed to its key. */
export function narrowTimeseries(
  params: QueryTimeseriesParams,
  last: Event,
): QueryTimeseriesParams {
  const ascending = params.order === 'ascending';
  const next = { ...params, lastEventId: last.id };
  if (params.orderBy === 'sourceTimestamp') {
    // A sourceTimestamp-ordered page only holds events that have one; keep it safe anyway.
    if (last.sourceTimestamp === null) return next;
    return ascending
      ? { ...next, sourceTFrom: last.sourceTimestamp }
      : { ...next, sourceTTo: last.sourceTimestamp };
  }
  return ascending ? { ...next, tFrom: last.timestamp } : { ...next, tTo: last.timestamp };
}

/** Guards against a server that ignores `lastEventId` (paging would never end). */
function checkEventIdAdvanced(previous: EventId | null | undefined, last: Event): void {
  if (previous != null && eventIdEquals(previous, last.id)) {
    throw new ProtocolError('query paging: the next page ended at the same event again');
  }
}

function toQueryFn(source: QuerySource): (params: QueryParams) => Promise<QueryResult> {
  return typeof source === 'function' ? source : (params) => source.query(params);
}
