import type { Event } from '../model/event.js';
import { compareEvents } from '../model/event.js';
import { compareTimestamps } from '../model/timestamp.js';
import type { Timestamp } from '../model/timestamp.js';
import { firstIndex } from './timeseries.js';

/**
 * Events kept sorted by one time key (then by id), so a timeseries page starts with a binary
 * search at its time bound and reads only what it returns, instead of sorting and scanning
 * every stored event per page. An insert is a push; one out of key order (source timestamps
 * come from clients, in any order) leaves the array to be sorted by the next query, once.
 */
export class OrderedEvents {
  readonly #key: (event: Event) => Timestamp;
  readonly #events: Event[] = [];
  /** False after an out-of-order insert, until the next query sorts. */
  #sorted = true;

  constructor(key: (event: Event) => Timestamp) {
    this.#key = key;
  }

  get size(): number {
    return this.#events.length;
  }

  insert(event: Event): void {
    const events = this.#events;
    const last = events[events.length - 1];
    if (last !== undefined && this.#compare(last, event) > 0) this.#sorted = false;
    events.push(event);
  }

  /** Events with key in `[from, to]` (null = unbounded), ascending or descending. */
  *range(from: Timestamp | null, to: Timestamp | null, descending: boolean): Generator<Event> {
    if (!this.#sorted) {
      // Stable, and quick on what is mostly sorted runs (V8's sort is a TimSort).
      this.#events.sort((a, b) => this.#compare(a, b));
      this.#sorted = true;
    }
    const events = this.#events;
    if (descending) {
      const start = to === null ? events.length : this.#firstAbove(to);
      for (let i = start - 1; i >= 0; i--) {
        const event = events[i] as Event;
        if (from !== null && compareTimestamps(this.#key(event), from) < 0) return;
        yield event;
      }
    } else {
      const start = from === null ? 0 : this.#firstAtLeast(from);
      for (let i = start; i < events.length; i++) {
        const event = events[i] as Event;
        if (to !== null && compareTimestamps(this.#key(event), to) > 0) return;
        yield event;
      }
    }
  }

  #compare(a: Event, b: Event): number {
    const byKey = compareTimestamps(this.#key(a), this.#key(b));
    return byKey !== 0 ? byKey : compareEvents(a, b);
  }

  /** Index of the first event whose key is ≥ `t`. */
  #firstAtLeast(t: Timestamp): number {
    return firstIndex(this.#events, (e) => compareTimestamps(this.#key(e), t) >= 0);
  }

  /** Index of the first event whose key is > `t`. */
  #firstAbove(t: Timestamp): number {
    return firstIndex(this.#events, (e) => compareTimestamps(this.#key(e), t) > 0);
  }
}
