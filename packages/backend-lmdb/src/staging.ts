import { compareEventIds } from '@eventum/core';
import type { Event, EventId, EventType } from '@eventum/core';

import { compareKeys } from './keys.js';

/** A registered event waiting for (or being written by) a flush. */
export interface StagedEvent {
  readonly event: Event;
  /** `encodeEvent(event)`: the value of every timeseries entry and of LATEST_DATA. */
  readonly value: Uint8Array;
  /** Its timeseries keys, one per partition that stores it. */
  readonly keys: readonly Buffer[];
  /** Its LATEST_DATA type ref, or -1 once (or if) it is not the latest of its type. */
  latestRef: number;
}

/** True when the event is stored somewhere (it then has a REF record). */
export function isStored(staged: StagedEvent): boolean {
  return staged.keys.length > 0 || staged.latestRef >= 0;
}

/** A partition's staged entries; sorted by key on demand (appends are usually in order). */
export class StagedPartition {
  readonly keys: Buffer[] = [];
  readonly events: StagedEvent[] = [];
  #sorted = true;

  push(key: Buffer, staged: StagedEvent): void {
    const last = this.keys[this.keys.length - 1];
    if (last !== undefined && compareKeys(last, key) > 0) this.#sorted = false;
    this.keys.push(key);
    this.events.push(staged);
  }

  /** Sorts the entries by key (once; registration order is kept while already sorted). */
  ensureSorted(): void {
    if (this.#sorted) return;
    const keys = this.keys;
    // Latin-1 strings order as their bytes do, and V8 compares them without leaving JS: about
    // twice as fast as a `Buffer.compare` per comparison.
    const text = keys.map((key) => key.toString('latin1'));
    const order = keys.map((_, i) => i);
    order.sort((a, b) => {
      const x = text[a] as string;
      const y = text[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const sortedKeys = order.map((i) => keys[i] as Buffer);
    const sortedEvents = order.map((i) => this.events[i] as StagedEvent);
    for (let i = 0; i < order.length; i++) {
      keys[i] = sortedKeys[i] as Buffer;
      this.events[i] = sortedEvents[i] as StagedEvent;
    }
    this.#sorted = true;
  }

  get size(): number {
    return this.keys.length;
  }
}

/** A latest reference that must leave the REF record of an event already handed to a flush. */
export interface RefRemoval {
  readonly id: EventId;
  readonly typeRef: number;
}

/**
 * Everything registered between two flushes. A flush writes one generation in one transaction;
 * queries read it (and the generation being flushed) merged with the disk until it has committed.
 */
export class Generation {
  /** Registered batches (accepted events), for `onFlushed`. */
  readonly batches: (readonly Event[])[] = [];
  /** Stored events per origin server, ascending ids. */
  readonly byServer = new Map<number, StagedEvent[]>();
  readonly partitions = new Map<number, StagedPartition>();
  /** LATEST_DATA writes: type ref → newest staged event. */
  readonly latest = new Map<number, StagedEvent>();
  /** LATEST_TYPE writes of types first seen in this generation. */
  readonly newTypes = new Map<number, EventType>();
  readonly refRemovals: RefRemoval[] = [];
  /** Servers whose last id or timestamp changed. */
  readonly servers = new Set<number>();
  /** Accepted events (stored or not). */
  count = 0;

  /** The staged partition of `id`, created on first use. */
  partition(id: number): StagedPartition {
    let partition = this.partitions.get(id);
    if (partition === undefined) {
      partition = new StagedPartition();
      this.partitions.set(id, partition);
    }
    return partition;
  }

  addStored(staged: StagedEvent): void {
    const server = staged.event.id.server;
    let list = this.byServer.get(server);
    if (list === undefined) {
      list = [];
      this.byServer.set(server, list);
    }
    list.push(staged);
  }

  /** The staged event with `id`, found by binary search (ids ascend per server). */
  find(id: EventId): StagedEvent | undefined {
    const list = this.byServer.get(id.server);
    if (list === undefined) return undefined;
    const index = lowerBound(list, id);
    const found = list[index];
    return found !== undefined && compareEventIds(found.event.id, id) === 0 ? found : undefined;
  }
}

/** Index of the first staged event whose id is not below `id`. */
export function lowerBound(list: readonly StagedEvent[], id: EventId): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEventIds((list[mid] as StagedEvent).event.id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
