import type {
  InsertOptions,
  Notification,
  ProcessRecorder,
  SelectEventsOptions,
  StoredEvent,
} from '@eventum/core';
import { invalidArgument } from '@eventum/core';

import { ConflictError, rejection } from './errors.js';
import { makeMeta } from './events.js';
import type { CausalMeta, Event, Recorded } from './events.js';
import type { Mapper } from './mapper.js';

/**
 * What an append expects of the stream: exactly at version `n` (`0` = does not exist),
 * `'no-stream'` (same as `0`), `'stream-exists'` (at least one event, any version) or `'any'`
 * (no check; appends after whatever is there, retrying when a concurrent append wins the race).
 */
export type ExpectedVersion = number | 'any' | 'no-stream' | 'stream-exists';

/** An event to append; giving `eventId` makes retries of the append idempotent. */
export type AppendEvent<E extends Event = Event> = E & { readonly eventId?: string };

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
  readonly causal?: CausalMeta;
  readonly tracking?: InsertOptions['tracking'];
}

/** Outcome of an append. */
export interface AppendResult {
  /** The stream's version after the append: pass it as the next `expectedVersion`. */
  readonly nextExpectedVersion: number;
  /** Notification ids of the appended events, in order. */
  readonly notificationIds: readonly number[];
  readonly events: readonly Recorded[];
}

/**
 * Called after each insert that stored events committed, with the stored notifications in id
 * order (process applications prompt their followers from it). An insert that only repeated
 * stored events (an idempotent retry) calls it again with the ids it found. What the listener
 * throws rejects the write's promise although the events are stored: only the single-threaded
 * runner does that, on purpose.
 */
export type CommitListener = (notifications: readonly Notification[]) => void | Promise<void>;

/** How often `'any'` appends retry when they lose a race. */
const ANY_RETRIES = 10;

/**
 * Domain events over a recorder, through a mapper: `put` stores recorded events (many
 * aggregates, one transaction), `get` reads one stream back as domain events (upcast), `append`
 * is the stream API with expected-version modes.
 */
export class EventStore {
  readonly mapper: Mapper;
  readonly recorder: ProcessRecorder;
  readonly #listeners: CommitListener[] = [];

  constructor(mapper: Mapper, recorder: ProcessRecorder) {
    this.mapper = mapper;
    this.recorder = recorder;
  }

  /** Stores events of any number of streams atomically; resolves with their notification ids. */
  put(events: readonly Recorded[], options?: InsertOptions): Promise<number[]> {
    const stored: StoredEvent[] = [];
    try {
      for (const event of events) stored.push(this.mapper.toStored(event));
    } catch (error) {
      return rejection(error);
    }
    // Without listeners the recorder's promise is returned as it is: an append is a chain of
    // promises, and every async layer on it costs a promise and a microtask turn per append.
    if (this.#listeners.length === 0) return this.recorder.insertEvents(stored, options);
    return this.#putAndNotify(stored, options);
  }

  async #putAndNotify(stored: StoredEvent[], options?: InsertOptions): Promise<number[]> {
    const ids = await this.recorder.insertEvents(stored, options);
    if (ids.length > 0 && this.#listeners.length > 0) {
      const notifications = ids.map((id, i) => ({ ...stored[i]!, id }));
      for (const listener of this.#listeners) await listener(notifications);
    }
    return ids;
  }

  /** Calls `listener` after every committed insert of this store; returns the unsubscribe. */
  onCommit(listener: CommitListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  async get<E extends Event = Event>(
    originatorId: string,
    options?: SelectEventsOptions,
  ): Promise<Recorded<E>[]> {
    const stored = await this.recorder.selectEvents(originatorId, options);
    return stored.map((s) => this.mapper.toDomain<E>(s));
  }

  /** The stream's current version, 0 when it has no events. */
  async head(streamId: string): Promise<number> {
    const [last] = await this.recorder.selectEvents(streamId, { desc: true, limit: 1 });
    return last?.originatorVersion ?? 0;
  }

  /**
   * Appends `events` to stream `streamId` under `expectedVersion` (default `'any'`). A failed
   * expectation is `ConflictError` (`ERR_CONFLICT`, kind `expected-version` or `version`).
   */
  async append(
    streamId: string,
    events: readonly AppendEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = options.expectedVersion ?? 'any';
    const insert = options.tracking ? { tracking: options.tracking } : {};
    for (let attempt = 0; ; attempt++) {
      // An exact expectation is checked and used without a turn of the microtask queue.
      const base = isExact(expected) ? exactBase(expected) : await this.#head(streamId, expected);
      const recorded: Recorded[] = [];
      for (let i = 0; i < events.length; i++)
        recorded.push(toRecorded(streamId, base + i + 1, events[i]!, options.causal));
      try {
        const ids = await this.put(recorded, insert);
        return {
          nextExpectedVersion: base + events.length,
          notificationIds: ids,
          events: recorded,
        };
      } catch (error) {
        const raced = error instanceof ConflictError && error.kind === 'version';
        if (raced && isExact(expected)) throw expectationFailed(streamId, expected, error);
        if (expected !== 'any' || !raced || attempt >= ANY_RETRIES) throw error;
      }
    }
  }

  /** The version an `'any'` or `'stream-exists'` append follows: the stream's head. An exact
   * expectation needs no read ({@link exactBase}). */
  async #head(streamId: string, expected: 'any' | 'stream-exists'): Promise<number> {
    const head = await this.head(streamId);
    if (expected === 'stream-exists' && head === 0) {
      throw new ConflictError('expected-version', `stream ${streamId} does not exist`);
    }
    return head;
  }
}

/** The version an exact append follows. It needs no read: recorders refuse a version that is
 * stored already or whose predecessor is not (streams have no gaps). */
function exactBase(expected: number | 'no-stream'): number {
  if (expected === 'no-stream') return 0;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw invalidArgument(`expectedVersion must be an integer ≥ 0 or a mode, got ${expected}`);
  }
  return expected;
}

function isExact(expected: ExpectedVersion): expected is number | 'no-stream' {
  return typeof expected === 'number' || expected === 'no-stream';
}

function expectationFailed(
  streamId: string,
  expected: number | 'no-stream',
  cause: Error,
): ConflictError {
  const version = expected === 'no-stream' ? 0 : expected;
  return new ConflictError('expected-version', `stream ${streamId} is not at version ${version}`, {
    cause,
  });
}

function toRecorded(
  streamId: string,
  version: number,
  event: AppendEvent,
  causal: CausalMeta | undefined,
): Recorded {
  const meta = makeMeta(streamId, version, causal);
  if (event.eventId !== undefined) (meta as { eventId: string }).eventId = event.eventId;
  return { type: event.type, data: event.data, meta };
}
