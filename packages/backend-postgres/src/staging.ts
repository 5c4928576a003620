import { compareEventIds, compareEvents } from '@eventum/core';
import type { Event, EventId, Timestamp } from '@eventum/core';

/** A registered event waiting for (or being written by) a flush. */
export interface StagedEvent {
  readonly event: Event;
  /** `encodeEvent(event)`, stored as `events.encoded`. */
  readonly encoded: Uint8Array;
  /** Bits of the partitions that store it. */
  readonly partitions: number;
  /** Its type's latest key, when `latest.subscriptions` matches its type. */
  readonly latestKey: string | null;
}

/** The last id and timestamp of one origin server. */
export interface ServerState {
  lastId: EventId;
  lastTimestamp: Timestamp;
}

/**
 * Everything registered between two flushes. A flush writes one generation in one transaction;
 * queries read it (and the generation being flushed) together with the database until the
 * transaction has committed.
 */
export class Generation {
  /** Registered batches (accepted events), for `onFlushed`. */
  readonly batches: (readonly Event[])[] = [];
  /** Events to store (in a partition or the latest table), in registration order. */
  readonly stored: StagedEvent[] = [];
  /** Stored events per origin server, ascending ids. */
  readonly byServer = new Map<number, StagedEvent[]>();
  /** The newest staged event of each latest key. */
  readonly latest = new Map<string, StagedEvent>();
  /** Origin servers whose last id advanced, with their new state. */
  readonly servers = new Map<number, ServerState>();
  /** Accepted events (stored or not). */
  count = 0;

  add(staged: StagedEvent): void {
    this.stored.push(staged);
    const server = staged.event.id.server;
    const list = this.byServer.get(server);
    if (list === undefined) this.byServer.set(server, [staged]);
    else list.push(staged);
    if (staged.latestKey === null) return;
    const previous = this.latest.get(staged.latestKey);
    if (previous === undefined || compareEvents(previous.event, staged.event) <= 0) {
      this.latest.set(staged.latestKey, staged);
    }
  }

  /** The staged event with `id`, if any. */
  find(id: EventId): StagedEvent | undefined {
    const list = this.byServer.get(id.server);
    if (list === undefined) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEventIds(list[mid]!.event.id, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    const found = list[lo];
    return found !== undefined && compareEventIds(found.event.id, id) === 0 ? found : undefined;
  }
}
