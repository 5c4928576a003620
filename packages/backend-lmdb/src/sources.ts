import { decodeEvent, rememberEventEncoding } from '@eventum/core';
import type { Event, EventHeader } from '@eventum/core';

import type { EntryDb, StoredEntry } from './environment.js';
import { compareKeys } from './keys.js';
import type { StagedEvent, StagedPartition } from './staging.js';

/** Counters for tests and diagnostics: disk entries read by timeseries queries. */
export const readStats = { timeseriesEntries: 0 };

/** A stream of timeseries entries in key order (ascending or descending). */
export interface EntrySource {
  /** The current entry's key, or null once exhausted. */
  readonly key: Uint8Array | null;
  /** The current entry's id, type and times. */
  header(): EventHeader;
  /** The current entry's event (from disk, decoded by each call). */
  event(): Event;
  /** The current entry's `HatEventer.Event` encoding; it stays valid. */
  encoding(): Uint8Array;
  /** True when the current entry comes from disk (disk events are re-checked by conditions). */
  readonly fromDisk: boolean;
  advance(): void;
  close(): void;
}

/** A key range of one partition: `[start, end)` ascending, `(end, start]`-like descending. */
export interface KeyRange {
  readonly start: Buffer;
  /** True to skip `start` itself (a sentinel key). */
  readonly exclusiveStart: boolean;
  /** Ascending: exclusive upper bound. Descending: inclusive lower bound. */
  readonly end: Buffer;
  readonly descending: boolean;
}

/** Entries of TIMESERIES_DATA in `range`, read lazily through one cursor; each entry's header
 * is decoded as the cursor reaches it. */
export class DiskSource implements EntrySource {
  readonly fromDisk = true;
  readonly #iterator: Iterator<{ key: Buffer; value: StoredEntry }>;
  #key: Buffer | null = null;
  #entry: StoredEntry | null = null;

  constructor(db: EntryDb, range: KeyRange) {
    const options = {
      start: range.start,
      end: range.end,
      exclusiveStart: range.exclusiveStart,
      reverse: range.descending,
      inclusiveEnd: range.descending,
    };
    this.#iterator = db.getRange(options)[Symbol.iterator]();
    this.advance();
  }

  get key(): Uint8Array | null {
    return this.#key;
  }

  header(): EventHeader {
    return (this.#entry as StoredEntry).header;
  }

  event(): Event {
    return decodeStoredEvent((this.#entry as StoredEntry).bytes);
  }

  encoding(): Uint8Array {
    return (this.#entry as StoredEntry).bytes;
  }

  advance(): void {
    const next = this.#iterator.next();
    if (next.done === true) {
      this.#key = this.#entry = null;
      return;
    }
    readStats.timeseriesEntries++;
    this.#key = next.value.key;
    this.#entry = next.value.value;
  }

  close(): void {
    this.#iterator.return?.();
    this.#key = null;
  }
}

/** Decodes a stored event, which remembers its bytes so that sending it copies them. */
export function decodeStoredEvent(bytes: Uint8Array): Event {
  const event = decodeEvent(bytes);
  rememberEventEncoding(event, bytes);
  return event;
}

/** Staged (unflushed) entries of one partition in `range`. */
export class StagedSource implements EntrySource {
  readonly fromDisk = false;
  readonly #keys: readonly Buffer[];
  readonly #events: readonly StagedEvent[];
  readonly #step: number;
  readonly #stop: number;
  #index: number;

  constructor(partition: StagedPartition, range: KeyRange) {
    partition.ensureSorted();
    this.#keys = partition.keys;
    this.#events = partition.events;
    const keys = partition.keys;
    if (range.descending) {
      const top = range.exclusiveStart
        ? lowerBound(keys, range.start)
        : upperBound(keys, range.start);
      this.#index = top - 1;
      this.#stop = lowerBound(keys, range.end) - 1;
      this.#step = -1;
    } else {
      this.#index = range.exclusiveStart
        ? upperBound(keys, range.start)
        : lowerBound(keys, range.start);
      this.#stop = lowerBound(keys, range.end);
      this.#step = 1;
    }
  }

  get key(): Uint8Array | null {
    return this.#step * (this.#stop - this.#index) > 0 ? (this.#keys[this.#index] ?? null) : null;
  }

  header(): EventHeader {
    return this.event();
  }

  event(): Event {
    return (this.#events[this.#index] as StagedEvent).event;
  }

  encoding(): Uint8Array {
    return (this.#events[this.#index] as StagedEvent).value;
  }

  advance(): void {
    this.#index += this.#step;
  }

  close(): void {
    this.#index = this.#stop;
  }
}

/**
 * Merges sources in key order, comparing keys from `offset` on (8 to compare only time and id
 * across partitions). Entries with equal keys are one event (staged and already flushed, or
 * stored in two partitions): it is yielded once.
 */
export class MergedSource implements EntrySource {
  readonly #sources: EntrySource[];
  readonly #offset: number;
  readonly #sign: number;
  #current: EntrySource | null = null;

  constructor(sources: EntrySource[], offset: number, descending: boolean) {
    this.#sources = sources;
    this.#offset = offset;
    this.#sign = descending ? -1 : 1;
    this.#pick();
  }

  get key(): Uint8Array | null {
    return this.#current?.key ?? null;
  }

  get fromDisk(): boolean {
    return this.#current?.fromDisk ?? false;
  }

  header(): EventHeader {
    return (this.#current as EntrySource).header();
  }

  event(): Event {
    return (this.#current as EntrySource).event();
  }

  encoding(): Uint8Array {
    return (this.#current as EntrySource).encoding();
  }

  advance(): void {
    const key = this.key;
    if (key === null) return;
    for (const source of this.#sources) {
      const other = source.key;
      if (other !== null && compareKeys(other, key, this.#offset) === 0) source.advance();
    }
    this.#pick();
  }

  close(): void {
    for (const source of this.#sources) source.close();
    this.#current = null;
  }

  #pick(): void {
    let best: EntrySource | null = null;
    for (const source of this.#sources) {
      const key = source.key;
      if (key === null) continue;
      if (
        best === null ||
        this.#sign * compareKeys(key, best.key as Uint8Array, this.#offset) < 0
      ) {
        best = source;
      }
    }
    this.#current = best;
  }
}

/** Index of the first key not below `key`. */
function lowerBound(keys: readonly Buffer[], key: Buffer): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Buffer.compare(keys[mid] as Buffer, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first key above `key`. */
function upperBound(keys: readonly Buffer[], key: Buffer): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Buffer.compare(keys[mid] as Buffer, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
