import { invalidArgument } from '@eventum/core';
import type { SelectEventsOptions, StoredEvent } from '@eventum/core';

import { ConflictError } from './errors.js';

/** What a recorder knows of a stored event during the checks. */
interface Known {
  readonly originatorId: string;
  readonly originatorVersion: number;
  readonly eventId: string;
}

/**
 * The checks every recorder runs before inserting (in its transaction): arguments are sane,
 * positions and event ids are unique. Returns the stored events when the whole batch is already
 * stored (an idempotent retry), `undefined` when the batch is new; throws `ERR_CONFLICT` when
 * it collides with stored events or with itself.
 */
export function checkInsert<K extends Known>(
  events: readonly StoredEvent[],
  atPosition: (originatorId: string, version: number) => unknown,
  byEventId: (eventId: string) => K | undefined,
  contiguous = true,
): K[] | undefined {
  if (events.length === 1) return checkOne(events[0]!, atPosition, byEventId, contiguous);
  const firsts = validateBatch(events, contiguous);
  const stored: (K | undefined)[] = [];
  let allStored = events.length > 0;
  for (const event of events) {
    const s = byEventId(event.eventId);
    stored.push(s);
    if (s === undefined || !samePosition(s, event)) allStored = false;
  }
  if (allStored) return stored as K[];
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (stored[i] !== undefined) throw eventIdConflict(event);
    // Contiguous streams have no gaps: when an originator's first version in the batch is
    // free, so are the ones after it (one lookup per originator instead of one per event).
    const needed = !contiguous || firsts.get(event.originatorId) === event.originatorVersion;
    if (needed && atPosition(event.originatorId, event.originatorVersion) !== undefined)
      throw versionConflict(event);
  }
  if (contiguous) {
    for (const [originatorId, first] of firsts) {
      if (first > 1 && atPosition(originatorId, first - 1) === undefined)
        throw gapConflict(originatorId, first);
    }
  }
  return undefined;
}

/** {@link checkInsert} of a single event, the same checks in the same order without the
 * batch's maps and arrays (most appends are of one event). */
function checkOne<K extends Known>(
  event: StoredEvent,
  atPosition: (originatorId: string, version: number) => unknown,
  byEventId: (eventId: string) => K | undefined,
  contiguous: boolean,
): K[] | undefined {
  validateEvent(event);
  const stored = byEventId(event.eventId);
  if (stored !== undefined) {
    if (samePosition(stored, event)) return [stored];
    throw eventIdConflict(event);
  }
  const { originatorId, originatorVersion } = event;
  if (atPosition(originatorId, originatorVersion) !== undefined) throw versionConflict(event);
  if (
    contiguous &&
    originatorVersion > 1 &&
    atPosition(originatorId, originatorVersion - 1) === undefined
  )
    throw gapConflict(originatorId, originatorVersion);
  return undefined;
}

/**
 * Argument checks shared by the recorders; the batch's own duplicates are conflicts, and so (when
 * `contiguous`) are gaps between an originator's versions in the batch. Returns each
 * originator's first version in the batch (whose predecessor must be stored).
 */
export function validateBatch(
  events: readonly StoredEvent[],
  contiguous = true,
): Map<string, number> {
  const firsts = new Map<string, number>();
  const lasts = new Map<string, number>();
  // A contiguous batch needs no set of positions: an originator's versions in it form the range
  // firsts..lasts, so a position is taken exactly when it falls in that range. A single event
  // needs no set of ids either.
  const positions = contiguous ? undefined : new Set<string>();
  const ids = events.length > 1 ? new Set<string>() : undefined;
  for (const e of events) {
    validateEvent(e);
    const last = lasts.get(e.originatorId);
    if (positions !== undefined) {
      const position = `${e.originatorVersion}:${e.originatorId}`;
      if (positions.has(position)) throw versionConflict(e);
      positions.add(position);
    } else if (last !== undefined && e.originatorVersion >= firsts.get(e.originatorId)!) {
      if (e.originatorVersion <= last) throw versionConflict(e);
    }
    if (ids !== undefined) {
      if (ids.has(e.eventId)) throw eventIdConflict(e);
      ids.add(e.eventId);
    }
    if (contiguous && last !== undefined && e.originatorVersion !== last + 1) {
      throw new ConflictError(
        'version',
        `versions of ${e.originatorId} in one insert must ascend by 1, got ${last} then ${e.originatorVersion}`,
      );
    }
    if (last === undefined) firsts.set(e.originatorId, e.originatorVersion);
    lasts.set(e.originatorId, e.originatorVersion);
  }
  return firsts;
}

/** The argument checks of one stored event. */
function validateEvent(e: StoredEvent): void {
  if (typeof e.originatorId !== 'string' || e.originatorId.length === 0)
    throw invalidArgument('originatorId must be a non-empty string');
  if (!Number.isSafeInteger(e.originatorVersion) || e.originatorVersion < 1) {
    throw invalidArgument(
      `originatorVersion of ${e.originatorId} must be an integer ≥ 1, got ${e.originatorVersion}`,
    );
  }
  if (typeof e.eventId !== 'string' || e.eventId.length === 0)
    throw invalidArgument('eventId must be a non-empty string');
  if (!(e.state instanceof Uint8Array)) throw invalidArgument('state must be a Uint8Array');
}

/** Streams have no gaps: version `first` needs `first - 1` stored. */
export function gapConflict(originatorId: string, first: number): ConflictError {
  return new ConflictError(
    'version',
    `version ${first - 1} of ${originatorId} is not stored, so ${first} cannot follow it`,
  );
}

export function samePosition(a: Known, b: Known): boolean {
  return a.originatorId === b.originatorId && a.originatorVersion === b.originatorVersion;
}

export function versionConflict(e: Known): ConflictError {
  return new ConflictError(
    'version',
    `version ${e.originatorVersion} of ${e.originatorId} is already stored`,
  );
}

export function eventIdConflict(e: Known): ConflictError {
  return new ConflictError(
    'event-id',
    `event id ${e.eventId} is already stored at another position`,
  );
}

/** Applies `gt`, `lte`, `desc`, `limit` to ascending versions. */
export function selectRange(versions: readonly number[], options: SelectEventsOptions): number[] {
  const { gt = 0, lte = Infinity, desc = false, limit = Infinity } = options;
  const selected = versions.filter((v) => v > gt && v <= lte);
  if (desc) selected.reverse();
  return selected.slice(0, limit);
}

/** Runs `body` now; a throw becomes a rejection (recorders never throw synchronously). */
export function settle<T>(body: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(body()));
}
