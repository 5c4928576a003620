import { invalidArgument } from '@eventum/core';
import type { ApplicationRecorder, Notification } from '@eventum/core';

import { sleep } from './abort.js';
import type { AbortOptions } from './abort.js';

/** One page of the log (the Python library's `Section`). */
export interface Section {
  /** `"first,last"`: the ids actually found, `null` when the section is empty. */
  readonly id: string | null;
  readonly items: readonly Notification[];
  /** The id of the next section when this one is full, else `null` (ask again later). */
  readonly nextId: string | null;
}

/** Options of {@link NotificationLog.select}; `signal` cancels the read (`ERR_ABORTED`). */
export interface LogSelectOptions extends AbortOptions {
  readonly stop?: number;
  readonly topics?: readonly string[];
}

/** Default number of notifications in a section. */
export const DEFAULT_SECTION_SIZE = 10;

/**
 * The application's notification log, in pages. Sections are addressed `"start,end"`; a
 * section is at most `sectionSize` long. Items are stored events with their ids, state still
 * mapped (encrypted, compressed) as the recorder holds it.
 */
export class NotificationLog {
  readonly sectionSize: number;
  readonly #recorder: ApplicationRecorder;

  constructor(recorder: ApplicationRecorder, sectionSize = DEFAULT_SECTION_SIZE) {
    if (!Number.isSafeInteger(sectionSize) || sectionSize < 1) {
      throw invalidArgument(`sectionSize must be an integer ≥ 1, got ${sectionSize}`);
    }
    this.#recorder = recorder;
    this.sectionSize = sectionSize;
  }

  /** The section `"start,end"`; a malformed id is `ERR_INVALID_ARGUMENT`. */
  async section(sectionId: string, options: AbortOptions = {}): Promise<Section> {
    const match = /^(\d+),(\d+)$/.exec(sectionId);
    if (match === null)
      throw invalidArgument(`section id must be "start,end", got ${JSON.stringify(sectionId)}`);
    const start = Math.max(1, Number(match[1]));
    const limit = Math.min(Math.max(0, Number(match[2]) - start + 1), this.sectionSize);
    const items = await this.#recorder.selectNotifications({
      start,
      limit,
      signal: options.signal,
    });
    const first = items[0];
    const last = items.at(-1);
    if (first === undefined || last === undefined) return { id: null, items, nextId: null };
    const full = items.length === limit;
    return {
      id: `${first.id},${last.id}`,
      items,
      nextId: full ? `${last.id + 1},${last.id + limit}` : null,
    };
  }

  /** Up to `limit` (≤ `sectionSize`) notifications from id `start`, ascending. */
  async select(
    start: number,
    limit: number,
    options: LogSelectOptions = {},
  ): Promise<Notification[]> {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > this.sectionSize) {
      throw invalidArgument(`limit must be an integer in 0..${this.sectionSize}, got ${limit}`);
    }
    return await this.#recorder.selectNotifications({ start, limit, ...options });
  }

  maxNotificationId(): Promise<number> {
    return this.#recorder.maxNotificationId();
  }
}

/**
 * Reads the log from `start` in batches of the log's section size until it is exhausted (or
 * `stop` is reached). Each batch continues after the last id of the one before.
 */
export async function* readNotifications(
  log: NotificationLog,
  start: number,
  options: LogSelectOptions = {},
): AsyncGenerator<Notification[]> {
  for (let next = start; ;) {
    const batch = await log.select(next, log.sectionSize, options);
    if (batch.length === 0) return;
    yield batch;
    next = batch.at(-1)!.id + 1;
  }
}

/** Options of {@link followNotifications}. */
export interface FollowOptions extends LogSelectOptions {
  /** How long to wait before asking again when the log has nothing new (default 100 ms). */
  readonly pollMs?: number;
}

/**
 * Tails the log from `start`: yields batches as {@link readNotifications} does, and when the log
 * is exhausted waits `pollMs` and asks again, without end. It ends when the consumer stops
 * iterating, when `stop` is passed, or when `signal` fires: then the pending read or wait
 * rejects promptly with `ERR_ABORTED`.
 */
export async function* followNotifications(
  log: NotificationLog,
  start: number,
  options: FollowOptions = {},
): AsyncGenerator<Notification[]> {
  const { pollMs = 100, ...select } = options;
  if (!Number.isFinite(pollMs) || pollMs < 0)
    throw invalidArgument(`pollMs must be a number ≥ 0, got ${pollMs}`);
  const stop = select.stop ?? Number.MAX_SAFE_INTEGER;
  for (let next = start; next <= stop;) {
    const batch = await log.select(next, log.sectionSize, select);
    if (batch.length > 0) {
      yield batch;
      next = batch.at(-1)!.id + 1;
    } else {
      await sleep('following the notification log', pollMs, select.signal);
    }
  }
}
