import { invalidArgument } from '@eventum/core';
import type { ApplicationRecorder, Notification } from '@eventum/core';

/** One page of the log (the Python library's `Section`). */
export interface Section {
  /** `"first,last"`: the ids actually found, `null` when the section is empty. */
  readonly id: string | null;
  readonly items: readonly Notification[];
  /** The id of the next section when this one is full, else `null` (ask again later). */
  readonly nextId: string | null;
}

/** Options of {@link NotificationLog.select}. */
export interface LogSelectOptions {
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
  async section(sectionId: string): Promise<Section> {
    const match = /^(\d+),(\d+)$/.exec(sectionId);
    if (match === null)
      throw invalidArgument(`section id must be "start,end", got ${JSON.stringify(sectionId)}`);
    const start = Math.max(1, Number(match[1]));
    const limit = Math.min(Math.max(0, Number(match[2]) - start + 1), this.sectionSize);
    const items = await this.#recorder.selectNotifications({ start, limit });
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
