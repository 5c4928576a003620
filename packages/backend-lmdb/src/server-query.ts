import {
  boundedPage,
  compareEventIds,
  decodeEvent,
  encodedEventSize,
  eventIdEquals,
  invalidArgument,
  rememberEventEncoding,
  retainedCopy,
} from '@eventum/core';
import type { Event, EventId, QueryResult, QueryServerParams } from '@eventum/core';

import type { LmdbEnvironment } from './environment.js';
import { eventIdKey, readEventId, u64Key } from './keys.js';
import { decodeRefs } from './refs.js';
import type { EventRef } from './refs.js';
import type { Generation, StagedEvent } from './staging.js';
import { isStored, lowerBound } from './staging.js';

/**
 * Answers a server query: the origin server's stored events in id order, strictly after
 * `lastEventId`, from REF (each id resolved to its LATEST_DATA or TIMESERIES_DATA record) and,
 * unless `persisted`, from the staged generations (`generations` oldest first). A page holds at
 * most `cap` events and `maxBytes` bytes of them (see `PageBudget`). Throws
 * `ERR_INVALID_ARGUMENT` when `lastEventId` belongs to another server.
 */
export function queryServer(
  env: LmdbEnvironment,
  generations: readonly Generation[],
  params: QueryServerParams,
  cap: number,
  maxBytes: number,
): QueryResult {
  const after = params.lastEventId ?? null;
  if (after !== null && after.server !== params.serverId) {
    throw invalidArgument(
      `lastEventId.server (${after.server}) differs from serverId (${params.serverId})`,
    );
  }
  const max = Math.max(0, Math.min(params.maxResults ?? cap, cap));
  const persisted = params.persisted === true;
  const dropped = persisted ? new Map<string, number[]>() : droppedLatestRefs(generations);
  const disk = readDisk(env, params.serverId, after, { count: max + 1, bytes: maxBytes }, dropped);
  const staged = persisted ? [] : readStaged(generations, params.serverId, after, max + 1);
  return boundedPage(mergeById(disk, staged, max + 1), max, maxBytes);
}

/** Latest references that staged registrations took away from stored events, by id text. */
function droppedLatestRefs(generations: readonly Generation[]): Map<string, number[]> {
  const dropped = new Map<string, number[]>();
  for (const generation of generations) {
    for (const { id, typeRef } of generation.refRemovals) {
      const key = idText(id);
      dropped.set(key, [...(dropped.get(key) ?? []), typeRef]);
    }
  }
  return dropped;
}

function idText(id: EventId): string {
  return `${id.server}/${id.session}/${id.instance}`;
}

/**
 * Stored events of `server` after `after`, in id order: at most `limit.count`, and at most one
 * past the first that takes their bytes over `limit.bytes` (enough for the page to know more
 * follow; large events are not read and decoded in vain).
 */
function readDisk(
  env: LmdbEnvironment,
  server: number,
  after: EventId | null,
  limit: { readonly count: number; readonly bytes: number },
  dropped: ReadonlyMap<string, readonly number[]>,
): Event[] {
  const events: Event[] = [];
  let bytes = 0; // of the events before the last one read
  let last = 0;
  const range = {
    start: eventIdKey(after ?? { server, session: 0, instance: 0 }),
    exclusiveStart: after !== null,
    end: eventIdKey({ server: server + 1, session: 0, instance: 0 }),
  };
  for (const { key, value } of env.dbs.REF.getRange(range)) {
    if (events.length >= limit.count || bytes > limit.bytes) break;
    let refs = decodeRefs(value);
    const typeRefs = dropped.size === 0 ? undefined : dropped.get(idText(readEventId(key)));
    if (typeRefs !== undefined) {
      refs = refs.filter((r) => r.kind !== 'latest' || !typeRefs.includes(r.typeRef));
    }
    const event = resolve(env, refs);
    if (event === null) continue;
    events.push(event);
    bytes += last;
    last = encodedEventSize(event);
  }
  return events;
}

/** The event one of `refs` points to (the first that resolves), remembering its stored bytes:
 * they are what the server sends. */
export function resolve(env: LmdbEnvironment, refs: readonly EventRef[]): Event | null {
  for (const ref of refs) {
    const value =
      ref.kind === 'latest'
        ? env.dbs.LATEST_DATA.get(u64Key(ref.typeRef))
        : env.dbs.TIMESERIES_DATA.get(Buffer.from(ref.key));
    if (value !== undefined) {
      const event = decodeEvent(value);
      rememberEventEncoding(event, retainedCopy(value));
      return event;
    }
  }
  return null;
}

function readStaged(
  generations: readonly Generation[],
  server: number,
  after: EventId | null,
  limit: number,
): Event[] {
  const events: Event[] = [];
  for (const generation of generations) {
    const list = generation.byServer.get(server) ?? [];
    const start = after === null ? 0 : lowerBound(list, after);
    for (let i = start; i < list.length && events.length < limit; i++) {
      const staged = list[i] as StagedEvent;
      if (after !== null && eventIdEquals(staged.event.id, after)) continue;
      if (isStored(staged)) events.push(staged.event);
    }
  }
  return events;
}

/** Merges two id-ascending lists, dropping duplicates (a staged event already committed). */
function mergeById(a: readonly Event[], b: readonly Event[], limit: number): Event[] {
  const out: Event[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : compareEventIds(x.id, y.id);
    if (order <= 0) i++;
    if (order >= 0) j++;
    out.push((order <= 0 ? x : y) as Event);
  }
  return out;
}
