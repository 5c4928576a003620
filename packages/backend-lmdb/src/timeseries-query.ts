import {
  PageBudget,
  Subscription,
  decodeEvent,
  rememberResultEncoding,
  timeseriesFilter,
} from '@eventum/core';
import type {
  Conditions,
  EncodedEvents,
  Event,
  EventId,
  PartitionSelector,
  QueryResult,
  QueryTimeseriesParams,
  Timestamp,
} from '@eventum/core';

import type { LmdbEnvironment } from './environment.js';
import {
  KEY_TIME_OFFSET,
  compareKeys,
  eventIdKey,
  highKey,
  inPartition,
  lowKey,
  writeU64,
} from './keys.js';
import type { Partition } from './partitions.js';
import { decodeRefs } from './refs.js';
import { DiskSource, MergedSource, StagedSource } from './sources.js';
import type { EntrySource, KeyRange } from './sources.js';
import type { Generation } from './staging.js';

/** What a timeseries query reads: the disk and the generations not yet committed. */
export interface TimeseriesView {
  readonly env: LmdbEnvironment;
  readonly selector: PartitionSelector<Partition>;
  readonly conditions: Conditions;
  /** Staging first, then the generation being flushed (if any). */
  readonly generations: readonly Generation[];
  readonly maxResults: number;
  /** Bytes of encoded events a page may hold (see `PageBudget`). */
  readonly maxResultBytes: number;
}

/**
 * Answers a timeseries query: picks partitions (see {@link PartitionSelector}), seeks each to
 * its key range (time bounds, and just past the `lastEventId` sentinel found through REF or the
 * staged events), merges disk and staged entries in key order, filters and pages. The work is
 * proportional to the entries the page skips or returns, never to what precedes the sentinel.
 */
export function queryTimeseries(view: TimeseriesView, params: QueryTimeseriesParams): QueryResult {
  const orderBy = params.orderBy ?? 'timestamp';
  const descending = (params.order ?? 'descending') === 'descending';
  const partitions = view.selector.select(orderBy, params.eventTypes ?? null);
  if (partitions.length === 0) return { events: [], moreFollows: false };
  let sentinel: Uint8Array | null = null;
  if (params.lastEventId != null) {
    sentinel = findSentinel(view, partitions, params.lastEventId);
    if (sentinel === null) return { events: [], moreFollows: false };
  }
  const [from, to] =
    orderBy === 'timestamp'
      ? [params.tFrom ?? null, params.tTo ?? null]
      : [params.sourceTFrom ?? null, params.sourceTTo ?? null];
  const sources = partitions.map((p) =>
    partitionSource(view, p, keyRange(p.id, from, to, sentinel, descending), partitions.length > 1),
  );
  const source =
    sources.length === 1
      ? (sources[0] as EntrySource)
      : new MergedSource(sources, KEY_TIME_OFFSET, descending);
  try {
    return page(view, source, params);
  } finally {
    source.close();
  }
}

function page(
  view: TimeseriesView,
  source: EntrySource,
  params: QueryTimeseriesParams,
): QueryResult {
  const max = Math.min(params.maxResults ?? view.maxResults, view.maxResults);
  const budget = new PageBudget(max, view.maxResultBytes);
  const accepts = entryFilter(params);
  const checkConditions = !view.conditions.isEmpty;
  // Accepted entries are copied into one buffer as they pass: a disk entry's bytes last only
  // until its source advances.
  const ends: number[] = [];
  // The events already at hand (staged, or decoded for the conditions), by position.
  const decoded: (Event | undefined)[] = [];
  let moreFollows = false;
  pageBytes.reset(); // drops what a page that threw left behind
  for (; source.key !== null; source.advance()) {
    if (accepts !== null && !accepts(source)) continue;
    let event = source.fromDisk ? undefined : source.event();
    if (checkConditions && source.fromDisk) {
      event = source.event();
      if (!view.conditions.matches(event)) continue;
    }
    const bytes = source.encoding();
    if (!budget.take(bytes.length)) {
      moreFollows = true;
      break;
    }
    ends.push(pageBytes.append(bytes));
    decoded.push(event);
  }
  return lazyPage({ bytes: pageBytes.take(), ends }, decoded, moreFollows);
}

/**
 * Where pages are assembled: a scratch buffer kept between pages, from which each page takes an
 * exact copy. Growing a page's own buffer as it fills would allocate about twice its size and
 * copy it again, and fresh memory costs page faults and collections.
 */
class PageBytes {
  #scratch = new Uint8Array(256 * 1024);
  #used = 0;

  reset(): void {
    this.#used = 0;
  }

  /** Appends `bytes`; returns the page's length after them. */
  append(bytes: Uint8Array): number {
    const end = this.#used + bytes.length;
    if (end > this.#scratch.length) {
      const grown = new Uint8Array(Math.max(end, 2 * this.#scratch.length));
      grown.set(this.#scratch.subarray(0, this.#used));
      this.#scratch = grown;
    }
    this.#scratch.set(bytes, this.#used);
    this.#used = end;
    return end;
  }

  /** The page's bytes, its own; the scratch starts over (and shrinks after a huge page). */
  take(): Uint8Array {
    const page = this.#scratch.slice(0, this.#used);
    this.#used = 0;
    if (this.#scratch.length > MAX_SCRATCH_BYTES) this.#scratch = new Uint8Array(256 * 1024);
    return page;
  }
}

/** Largest scratch kept between pages. */
const MAX_SCRATCH_BYTES = 16 * 1024 * 1024;
const pageBytes = new PageBytes();

/**
 * A page whose disk events are decoded when `events` is first read. The server never reads
 * them: it answers with the stored bytes the page remembers, so a page costs a cursor step, two
 * copies and at most a header decode per event.
 */
function lazyPage(
  encoded: EncodedEvents,
  decoded: readonly (Event | undefined)[],
  moreFollows: boolean,
): QueryResult {
  let events: readonly Event[] | undefined;
  const result = {
    get events(): readonly Event[] {
      // Not stamped with their bytes: an event kept by the caller would pin the whole page.
      events ??= encoded.ends.map(
        (end, i) =>
          decoded[i] ?? decodeEvent(encoded.bytes.subarray(encoded.ends[i - 1] ?? 0, end)),
      );
      return events;
    },
    moreFollows,
  };
  rememberResultEncoding(result, encoded);
  return result;
}

/**
 * What a page checks per entry beyond its key range, reading as little of the entry as that
 * needs: its header when the other timestamp is bounded (the ordering one is the key's), else
 * its type when the query names types, else nothing (null).
 */
function entryFilter(params: QueryTimeseriesParams): ((source: EntrySource) => boolean) | null {
  const other =
    (params.orderBy ?? 'timestamp') === 'timestamp'
      ? [params.sourceTFrom, params.sourceTTo]
      : [params.tFrom, params.tTo];
  if (other.some((bound) => bound != null)) {
    const accepts = timeseriesFilter(params);
    return (source) => accepts(source.header());
  }
  if (params.eventTypes == null) return null;
  const types = new Subscription(params.eventTypes);
  return (source) => types.matches(source.eventType());
}

/** Disk entries of `partition` in `range`, merged with its staged entries. `merged`: the result
 * is itself merged with other partitions' (every disk source must then keep its bytes). */
function partitionSource(
  view: TimeseriesView,
  partition: Partition,
  range: KeyRange,
  merged: boolean,
): EntrySource {
  const staged: EntrySource[] = [];
  for (const generation of view.generations) {
    const entries = generation.partitions.get(partition.id);
    if (entries !== undefined && entries.size > 0) staged.push(new StagedSource(entries, range));
  }
  const keepsBytes = merged || staged.length > 0;
  const disk = new DiskSource(view.env.timeseriesValues, range, keepsBytes);
  return staged.length === 0 ? disk : new MergedSource([disk, ...staged], 0, range.descending);
}

/**
 * The key range of partition `id` for ordering-key bounds `[from, to]`, starting just past
 * `sentinel` (a key of any selected partition: its time and id carry over) when that is further.
 */
export function keyRange(
  id: number,
  from: Timestamp | null,
  to: Timestamp | null,
  sentinel: Uint8Array | null,
  descending: boolean,
): KeyRange {
  const low = lowKey(id, from);
  const high = highKey(id, to);
  const after = sentinel === null ? null : withPartition(sentinel, id);
  if (descending) {
    const useAfter = after !== null && compareKeys(after, high) < 0;
    return { start: useAfter ? after : high, exclusiveStart: useAfter, end: low, descending };
  }
  const useAfter = after !== null && compareKeys(after, low) >= 0;
  return { start: useAfter ? after : low, exclusiveStart: useAfter, end: high, descending };
}

/**
 * The key of the sentinel event in one of `partitions`: from the staged generations, else from
 * its REF record. Null when none of the partitions holds it (the query is then empty, as in Hat).
 */
function findSentinel(
  view: TimeseriesView,
  partitions: readonly Partition[],
  id: EventId,
): Uint8Array | null {
  for (const generation of view.generations) {
    const staged = generation.find(id);
    const key = staged?.keys.find((k) => partitions.some((p) => inPartition(k, p.id)));
    if (key !== undefined) return key;
  }
  const value = view.env.dbs.REF.get(eventIdKey(id));
  if (value === undefined) return null;
  for (const ref of decodeRefs(value)) {
    if (ref.kind === 'timeseries' && partitions.some((p) => inPartition(ref.key, p.id))) {
      return ref.key;
    }
  }
  return null;
}

function withPartition(key: Uint8Array, id: number): Buffer {
  const out = Buffer.from(key);
  writeU64(out, 0, id);
  return out;
}
