import { decodeEvent, decodeEventHeader, decodeEventTypeOf } from '@eventum/core';
import type { Event, EventHeader, EventType } from '@eventum/core';
import type { Key } from 'lmdb';

import { lastReadValue } from './environment.js';
import type { ValueDb } from './environment.js';
import type { StagedEvent, StagedPartition } from './staging.js';

/** Counters for tests and diagnostics: disk entries read by timeseries queries. */
export const readStats = { timeseriesEntries: 0 };

/** A stream of timeseries entries in key order (ascending or descending). */
export interface EntrySource {
  /** The current entry's key as a Latin-1 string (which orders as its bytes do), or null once
   * exhausted. */
  readonly key: string | null;
  /** The current entry's id, type and times. */
  header(): EventHeader;
  /** The current entry's type (cheaper than its header from disk). */
  eventType(): EventType;
  /** The current entry's event (from disk, decoded by each call). */
  event(): Event;
  /** The current entry's `HatEventer.Event` encoding, valid at least until `advance`. */
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

/**
 * Entries of TIMESERIES_DATA in `range`, read lazily through one cursor; each entry's header is
 * decoded only if asked for. Its bytes stay in lmdb-js's read buffer until the next read, so a
 * source merged with others (`keepsBytes`) copies them as the cursor reaches each entry: reading
 * another source would overwrite them.
 */
export class DiskSource implements EntrySource {
  readonly fromDisk = true;
  readonly #iterator: Iterator<{ key: Key; value: true }>;
  readonly #keepsBytes: boolean;
  #key: string | null = null;
  #header: EventHeader | null = null;
  /** The current entry's bytes: a copy (not a Buffer, whose views cost more) or lmdb-js's. */
  #copy = new Uint8Array(1024);
  #bytes: Uint8Array = this.#copy;

  constructor(db: ValueDb, range: KeyRange, keepsBytes: boolean) {
    const options = {
      start: range.start,
      end: range.end,
      exclusiveStart: range.exclusiveStart,
      reverse: range.descending,
      inclusiveEnd: range.descending,
    };
    this.#keepsBytes = keepsBytes;
    this.#iterator = db.getRange(options)[Symbol.iterator]();
    this.advance();
  }

  get key(): string | null {
    return this.#key;
  }

  header(): EventHeader {
    this.#header ??= decodeEventHeader(this.#bytes);
    return this.#header;
  }

  eventType(): EventType {
    return this.#header?.type ?? decodeEventTypeOf(this.#bytes);
  }

  event(): Event {
    return decodeEvent(this.#bytes);
  }

  /** A view valid until the next `advance` (without `keepsBytes`, until the next read). */
  encoding(): Uint8Array {
    return this.#bytes;
  }

  advance(): void {
    const next = this.#iterator.next();
    if (next.done === true) {
      this.#key = this.#header = null;
      return;
    }
    readStats.timeseriesEntries++;
    this.#key = next.value.key as string;
    this.#header = null;
    const value = lastReadValue();
    const exact = new Uint8Array(value.buffer, value.byteOffset, value.length);
    if (!this.#keepsBytes) {
      this.#bytes = exact;
      return;
    }
    if (value.length > this.#copy.length) this.#copy = new Uint8Array(value.length);
    this.#copy.set(exact);
    this.#bytes = this.#copy.subarray(0, value.length);
  }

  close(): void {
    this.#iterator.return?.();
    this.#key = null;
  }
}

/** Staged (unflushed) entries of one partition in `range`. */
export class StagedSource implements EntrySource {
  readonly fromDisk = false;
  readonly #keys: readonly Buffer[];
  readonly #events: readonly StagedEvent[];
  readonly #step: number;
  readonly #stop: number;
  #index: number;
  /** The current key as a string, converted once per entry. */
  #key = '';
  #keyIndex = Number.NaN;

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

  get key(): string | null {
    if (this.#step * (this.#stop - this.#index) <= 0) return null;
    if (this.#keyIndex !== this.#index) {
      this.#key = (this.#keys[this.#index] as Buffer).toString('latin1');
      this.#keyIndex = this.#index;
    }
    return this.#key;
  }

  header(): EventHeader {
    return this.event();
  }

  eventType(): EventType {
    return this.event().type;
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

  get key(): string | null {
    return this.#current?.key ?? null;
  }

  get fromDisk(): boolean {
    return this.#current?.fromDisk ?? false;
  }

  header(): EventHeader {
    return (this.#current as EntrySource).header();
  }

  eventType(): EventType {
    return (this.#current as EntrySource).eventType();
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
      if (other !== null && compareFrom(other, key, this.#offset) === 0) source.advance();
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
      if (best === null || this.#sign * compareFrom(key, best.key as string, this.#offset) < 0) {
        best = source;
      }
    }
    this.#current = best;
  }
}

/** Order of two keys from character `offset` on. */
function compareFrom(a: string, b: string, offset: number): number {
  if (offset === 0) return a < b ? -1 : a > b ? 1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = offset; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
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
