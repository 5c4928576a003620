import { TimeseriesPager, compareEventIds, compareTimestamps, eventIdEquals } from '@eventum/core';
import type {
  Conditions,
  Event,
  EventId,
  OrderBy,
  PartitionSelector,
  QueryResult,
  QueryTimeseriesParams,
  Timestamp,
} from '@eventum/core';

import { readEvents } from './rows.js';
import type { QueryView } from './rows.js';
import type { Partition } from './schema.js';

/** A timeseries entry's position: its ordering time, then its id. */
interface Key {
  readonly time: Timestamp;
  readonly id: EventId;
}

/** What a timeseries query reads beyond the view. */
export interface TimeseriesContext {
  readonly selector: PartitionSelector<Partition>;
  readonly conditions: Conditions;
}

/**
 * Answers a timeseries query: picks partitions (see `PartitionSelector`), reads each one's
 * partial index in key order from just past the `lastEventId` sentinel (found among the staged
 * events or in the table) in chunks, merges them with the staged events in key order, drops an
 * event met twice (stored in two partitions, or both stored and staged), filters and pages.
 */
export async function queryTimeseries(
  view: QueryView,
  context: TimeseriesContext,
  params: QueryTimeseriesParams,
): Promise<QueryResult> {
  const orderBy = params.orderBy ?? 'timestamp';
  const descending = (params.order ?? 'descending') === 'descending';
  const partitions = context.selector.select(orderBy, params.eventTypes ?? null);
  if (partitions.length === 0) return { events: [], moreFollows: false };
  const mask = partitions.reduce((m, p) => m | p.bit, 0);
  let sentinel: Key | null = null;
  if (params.lastEventId != null) {
    sentinel = await findSentinel(view, orderBy, mask, params.lastEventId);
    if (sentinel === null) return { events: [], moreFollows: false };
  }
  const [from, to] =
    orderBy === 'timestamp'
      ? [params.tFrom ?? null, params.tTo ?? null]
      : [params.sourceTFrom ?? null, params.sourceTTo ?? null];
  const range: Range = { orderBy, from, to, after: sentinel, descending };
  const max = Math.min(params.maxResults ?? view.maxResults, view.maxResults);
  const cursors: Cursor[] = partitions.map((p) => new TableCursor(view, p, range, max + 1));
  cursors.push(new StagedCursor(stagedEntries(view, mask, range)));
  const pager = new TimeseriesPager(
    { ...params, lastEventId: null },
    view.maxResults,
    view.maxResultBytes,
  );
  await Promise.all(cursors.map((c) => c.advance()));
  let previous: Event | null = null;
  for (;;) {
    const next = pick(cursors, orderBy, descending);
    if (next === null) break;
    const event = next.current!;
    await next.advance();
    if (previous !== null && eventIdEquals(previous.id, event.id)) continue;
    previous = event;
    if (!next.staged && !context.conditions.matches(event)) continue;
    if (!pager.offer(event)) break;
  }
  return pager.result();
}

interface Range {
  readonly orderBy: OrderBy;
  readonly from: Timestamp | null;
  readonly to: Timestamp | null;
  /** Entries start strictly after this key. */
  readonly after: Key | null;
  readonly descending: boolean;
}

const timeOf = (event: Event, orderBy: OrderBy): Timestamp | null =>
  orderBy === 'timestamp' ? event.timestamp : event.sourceTimestamp;

function compareKeys(a: Key, b: Key): number {
  return compareTimestamps(a.time, b.time) || compareEventIds(a.id, b.id);
}

function inRange(key: Key, range: Range): boolean {
  if (range.from !== null && compareTimestamps(key.time, range.from) < 0) return false;
  if (range.to !== null && compareTimestamps(key.time, range.to) > 0) return false;
  if (range.after === null) return true;
  const c = compareKeys(key, range.after);
  return range.descending ? c < 0 : c > 0;
}

/** The next event in result order among the cursors' current ones. */
function pick(cursors: readonly Cursor[], orderBy: OrderBy, descending: boolean): Cursor | null {
  let best: Cursor | null = null;
  for (const cursor of cursors) {
    if (cursor.current === null) continue;
    if (best === null) {
      best = cursor;
      continue;
    }
    const c = compareKeys(keyOf(cursor.current, orderBy), keyOf(best.current!, orderBy));
    if (descending ? c > 0 : c < 0) best = cursor;
  }
  return best;
}

const keyOf = (event: Event, orderBy: OrderBy): Key => ({
  time: timeOf(event, orderBy)!,
  id: event.id,
});

interface Cursor {
  readonly current: Event | null;
  /** True for staged events (they passed the conditions when registered). */
  readonly staged: boolean;
  advance(): Promise<void>;
}

class StagedCursor implements Cursor {
  readonly staged = true;
  readonly #events: readonly Event[];
  #index = -1;

  constructor(events: readonly Event[]) {
    this.#events = events;
  }

  get current(): Event | null {
    return this.#events[this.#index] ?? null;
  }

  advance(): Promise<void> {
    this.#index++;
    return Promise.resolve();
  }
}

/** Staged events of the selected partitions within `range`, in result order. */
function stagedEntries(view: QueryView, mask: number, range: Range): Event[] {
  const out: Event[] = [];
  for (const generation of view.generations) {
    for (const staged of generation.stored) {
      if ((staged.partitions & mask) === 0) continue;
      const time = timeOf(staged.event, range.orderBy);
      if (time !== null && inRange({ time, id: staged.event.id }, range)) out.push(staged.event);
    }
  }
  const sign = range.descending ? -1 : 1;
  return out.sort((a, b) => sign * compareKeys(keyOf(a, range.orderBy), keyOf(b, range.orderBy)));
}

/** One partition's stored entries in `range`, read in chunks of `chunk` rows by key. */
class TableCursor implements Cursor {
  readonly staged = false;
  readonly #view: QueryView;
  readonly #partition: Partition;
  readonly #range: Range;
  readonly #chunk: number;
  #rows: Event[] = [];
  #index = 0;
  #after: Key | null;
  #exhausted = false;

  constructor(view: QueryView, partition: Partition, range: Range, chunk: number) {
    this.#view = view;
    this.#partition = partition;
    this.#range = range;
    this.#chunk = Math.max(16, Math.min(chunk, 4096));
    this.#after = range.after;
  }

  get current(): Event | null {
    return this.#rows[this.#index] ?? null;
  }

  async advance(): Promise<void> {
    if (this.#rows.length > 0) this.#index++;
    if (this.#index < this.#rows.length || this.#exhausted) return;
    this.#rows = await this.#read();
    this.#index = 0;
    this.#exhausted = this.#rows.length < this.#chunk;
    const last = this.#rows.at(-1);
    if (last !== undefined) this.#after = keyOf(last, this.#range.orderBy);
  }

  #read(): Promise<Event[]> {
    const { orderBy, from, to, descending } = this.#range;
    const [s, us] = orderBy === 'timestamp' ? ['t_s', 't_us'] : ['st_s', 'st_us'];
    const where = [`(partitions & ${this.#partition.bit}) <> 0`];
    const values: unknown[] = [];
    const param = (value: unknown): string => `$${values.push(value)}`;
    if (from !== null) where.push(`(${s}, ${us}) >= (${param(from.s)}, ${param(from.us)})`);
    if (to !== null) where.push(`(${s}, ${us}) <= (${param(to.s)}, ${param(to.us)})`);
    const after = this.#after;
    if (after !== null) {
      const key = [
        after.time.s,
        after.time.us,
        after.id.server,
        after.id.session,
        after.id.instance,
      ];
      where.push(
        `(${s}, ${us}, server_id, session_id, instance_id) ${descending ? '<' : '>'} ` +
          `(${key.map(param).join(', ')})`,
      );
    }
    const dir = descending ? 'DESC' : 'ASC';
    const order = [s, us, 'server_id', 'session_id', 'instance_id'].map((c) => `${c} ${dir}`);
    const text = `SELECT encoded FROM ${this.#view.t}.events WHERE ${where.join(' AND ')}
      ORDER BY ${order.join(', ')} LIMIT ${this.#chunk}`;
    return readEvents(this.#view, text, values);
  }
}

/** The sentinel's key, when one of the selected partitions (`mask`) holds it. */
async function findSentinel(
  view: QueryView,
  orderBy: OrderBy,
  mask: number,
  id: EventId,
): Promise<Key | null> {
  for (const generation of view.generations) {
    const staged = generation.find(id);
    if (staged !== undefined && (staged.partitions & mask) !== 0)
      return keyOf(staged.event, orderBy);
  }
  const result = await view.pool.query<{ s: string; us: number }>(
    `SELECT ${orderBy === 'timestamp' ? 't_s AS s, t_us AS us' : 'st_s AS s, st_us AS us'}
      FROM ${view.t}.events
      WHERE server_id = $1 AND session_id = $2 AND instance_id = $3 AND (partitions & $4) <> 0`,
    [id.server, id.session, id.instance, mask],
  );
  const row = result.rows[0];
  return row === undefined ? null : { time: { s: Number(row.s), us: row.us }, id };
}
