import type { Event } from './event.js';
import type { EventId } from './event-id.js';
import type { EventType } from './event-type.js';
import type { Order, OrderBy } from './status.js';
import type { Timestamp } from './timestamp.js';

/** The greatest (natural order) event of every matching event type. Never paged, but cut with
 * `moreFollows: true` when the events would not fit one frame (`BackendContext.maxResultBytes`):
 * ask for the types left out by name. `eventTypes` absent or null means all (`*`). */
export interface QueryLatestParams {
  readonly type: 'latest';
  readonly eventTypes?: readonly EventType[] | null;
}

/**
 * Events ordered by `timestamp` or `sourceTimestamp` (then natural order). Bounds are inclusive.
 * `lastEventId` is a sentinel: events up to and including it (in result order) are skipped.
 * Defaults: order descending, orderBy timestamp, no bounds, server-capped `maxResults`.
 */
export interface QueryTimeseriesParams {
  readonly type: 'timeseries';
  readonly eventTypes?: readonly EventType[] | null;
  readonly tFrom?: Timestamp | null;
  readonly tTo?: Timestamp | null;
  readonly sourceTFrom?: Timestamp | null;
  readonly sourceTTo?: Timestamp | null;
  readonly order?: Order;
  readonly orderBy?: OrderBy;
  readonly maxResults?: number | null;
  readonly lastEventId?: EventId | null;
}

/** Events of one origin server in ascending id order, strictly after `lastEventId`.
 * `persisted: true` returns only events already flushed to storage. */
export interface QueryServerParams {
  readonly type: 'server';
  readonly serverId: number;
  readonly persisted?: boolean;
  readonly maxResults?: number | null;
  readonly lastEventId?: EventId | null;
}

export type QueryParams = QueryLatestParams | QueryTimeseriesParams | QueryServerParams;

/** A page of events; `moreFollows` says a further query (paging on the last id) has more. A page
 * ends at `maxResults` events or at the result byte budget, whichever comes first. */
export interface QueryResult {
  readonly events: readonly Event[];
  readonly moreFollows: boolean;
}
