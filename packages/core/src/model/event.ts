import { compareEventIds } from './event-id.js';
import type { EventId } from './event-id.js';
import type { EventType } from './event-type.js';
import type { EventPayload } from './payload.js';
import { compareTimestamps } from './timestamp.js';
import type { Timestamp } from './timestamp.js';

/**
 * A registered event. `timestamp` is set by the server, one per engine session (all events of a
 * session share it); `sourceTimestamp` is the registering client's own time, if it gave one.
 */
export interface Event {
  readonly id: EventId;
  readonly type: EventType;
  readonly timestamp: Timestamp;
  readonly sourceTimestamp: Timestamp | null;
  readonly payload: EventPayload | null;
}

/** An event without its payload: what queries filter on. */
export type EventHeader = Omit<Event, 'payload'>;

/** What a client asks the server to register; the server assigns id and timestamp. */
export interface RegisterEvent {
  readonly type: EventType;
  readonly sourceTimestamp?: Timestamp | null;
  readonly payload?: EventPayload | null;
}

/**
 * Hat's natural event order as a comparator. Events of the same server compare by id (same id
 * gives 0); events of different servers compare by `timestamp`, and equal timestamps give 0.
 * Hat's "registered earlier wins" for such ties is kept by a stable sort (`Array.prototype.sort`
 * is stable) over events in registration order.
 *
 * It is not a total order across servers: it is consistent (transitive) only while each server's
 * timestamps do not decrease with its ids, which servers guarantee for their own events. Events of
 * different servers may be ordered differently by different servers.
 */
export function compareEvents(a: Event, b: Event): number {
  if (a.id.server === b.id.server) return compareEventIds(a.id, b.id);
  return compareTimestamps(a.timestamp, b.timestamp);
}
