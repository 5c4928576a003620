import { GroupResource } from '@eventum/core';
import type {
  AggregateRecorder,
  InsertOptions,
  Notification,
  ProcessRecorder,
  SelectEventsOptions,
  SelectNotificationsOptions,
  StoredEvent,
  Tracking,
} from '@eventum/core';
import type { Database, RootDatabase } from 'lmdb';

import { throwIfAborted } from '../abort.js';
import { ConflictError, backendError, rejection } from '../errors.js';
import { checkInsert } from '../recorder-checks.js';
import type { GroupCommit } from './group-commit.js';

/** A log entry: the stored event, keyed by its notification id. */
interface Entry {
  readonly o: string;
  readonly v: number;
  readonly t: string;
  readonly e: string;
  readonly s: Uint8Array;
}

type Position = [string, number];

/** LMDB's `MDB_APPEND`: the log's ids only grow, so a put goes to its last page unsearched
 * (and pages fill up instead of splitting in half). */
const APPEND = { append: true } as const;

/** lmdb-js's `put` with options (missing from its types). */
interface PutWithOptions<K, V> {
  put(key: K, value: V, options: typeof APPEND): Promise<boolean>;
}

/** The sub-databases of one application in an LMDB file. */
export interface LmdbTables {
  readonly root: RootDatabase;
  /** Shares one durable write transaction among the writes of an event-loop turn. */
  readonly commit: GroupCommit;
  /** notification id → entry. */
  readonly log: Database<Entry, number>;
  /** [originator id, version] → notification id (snapshots: → entry). */
  readonly streams: Database<number, Position>;
  readonly eventIds: Database<number, string>;
  /** [application name, notification id] → true. */
  readonly tracking: Database<true, [string, number]>;
  readonly snapshots: Database<Entry, Position>;
}

const toStored = (n: Entry): StoredEvent => ({
  originatorId: n.o,
  originatorVersion: n.v,
  topic: n.t,
  eventId: n.e,
  state: n.s,
});

function versionRange(originatorId: string, options: SelectEventsOptions) {
  const { gt = 0, lte = Number.MAX_SAFE_INTEGER, desc = false, limit } = options;
  const lower: Position = [originatorId, gt + 1];
  const upper: Position = [originatorId, lte + 1];
  return {
    start: desc ? ([originatorId, lte] as Position) : lower,
    end: desc ? ([originatorId, gt] as Position) : upper,
    reverse: desc,
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * The events of one application in LMDB: aggregate, application and process tiers. Each insert
 * is checked completely before it writes, inside the write transaction it shares with the other
 * inserts of the same event-loop turn ({@link GroupCommit}); it resolves once that transaction
 * is durably committed. LMDB serialises writers, so ids are gapless and in commit order.
 */
export class LmdbEventRecorder extends GroupResource implements ProcessRecorder {
  readonly gaplessIds = true;
  readonly #t: LmdbTables;
  /** The last notification id this recorder wrote (0: none yet). */
  #lastWritten = 0;
  /** The file's count of aborted transactions when {@link #lastWritten} was written. */
  #abortsAt = 0;

  constructor(tables: LmdbTables) {
    super();
    this.#t = tables;
  }

  insertEvents(events: readonly StoredEvent[], options: InsertOptions = {}): Promise<number[]> {
    try {
      this.group.assertOpen('LMDB recorder');
    } catch (error) {
      return rejection(error);
    }
    const t = this.#t;
    const write = (): number[] => {
      const stored = checkInsert<{
        originatorId: string;
        originatorVersion: number;
        eventId: string;
        id: number;
      }>(
        events,
        // A taken position is all the check needs: no value to decode.
        (id, version) => (t.streams.doesExist([id, version]) ? true : undefined),
        (id) => this.#positionOf(id),
      );
      if (stored !== undefined) return stored.map((s) => s.id);
      if (options.tracking !== undefined) this.#checkTracking(options.tracking);
      return this.#write(events, options.tracking);
    };
    // The group commit rejects with an `EventumError` only (its own failure, or LMDB's error
    // as `ERR_BACKEND`), so its promise is returned as it is: no layer more per append.
    return t.commit.run(write);
  }

  selectEvents(originatorId: string, options: SelectEventsOptions = {}): Promise<StoredEvent[]> {
    return this.#read(options.signal, () =>
      Array.from(this.#t.streams.getRange(versionRange(originatorId, options)), ({ value }) =>
        toStored(this.#t.log.get(value)!),
      ),
    );
  }

  selectNotifications(options: SelectNotificationsOptions): Promise<Notification[]> {
    const { start, limit, stop = Number.MAX_SAFE_INTEGER, topics = [] } = options;
    return this.#read(options.signal, () => {
      const out: Notification[] = [];
      if (limit <= 0) return out;
      for (const { key, value } of this.#t.log.getRange({
        start: Math.max(start, 1),
        end: stop + 1,
      })) {
        if (topics.length > 0 && !topics.includes(value.t)) continue;
        out.push({ ...toStored(value), id: key });
        if (out.length >= limit) break;
      }
      return out;
    });
  }

  maxNotificationId(): Promise<number> {
    return this.#read(undefined, () => this.#lastId());
  }

  maxTrackingId(applicationName: string): Promise<number> {
    return this.#read(undefined, () => {
      const range = {
        start: [applicationName, Number.MAX_SAFE_INTEGER] as [string, number],
        end: [applicationName, 0] as [string, number],
        reverse: true,
        limit: 1,
      };
      return [...this.#t.tracking.getKeys(range)][0]?.[1] ?? 0;
    });
  }

  hasTrackingId(applicationName: string, notificationId: number): Promise<boolean> {
    return this.#read(undefined, () =>
      this.#t.tracking.doesExist([applicationName, notificationId]),
    );
  }

  #lastId(): number {
    return [...this.#t.log.getKeys({ reverse: true, limit: 1 })][0] ?? 0;
  }

  #positionOf(
    eventId: string,
  ): { originatorId: string; originatorVersion: number; eventId: string; id: number } | undefined {
    const id = this.#t.eventIds.get(eventId);
    const entry = id === undefined ? undefined : this.#t.log.get(id);
    return entry === undefined
      ? undefined
      : { originatorId: entry.o, originatorVersion: entry.v, eventId, id: id! };
  }

  #checkTracking(tracking: Tracking): void {
    if (this.#t.tracking.doesExist([tracking.applicationName, tracking.notificationId])) {
      throw new ConflictError(
        'tracking',
        `notification ${tracking.notificationId} of ${tracking.applicationName} is already tracked`,
      );
    }
  }

  #write(events: readonly StoredEvent[], tracking: Tracking | undefined): number[] {
    const t = this.#t;
    // Ids are gapless, so the id cached by the last write is still the last one if it is stored
    // and its successor is not (another process may have appended since): one point read
    // instead of a cursor per transaction. It is stored unless a transaction aborted since.
    const cached = this.#lastWritten;
    const stored = cached > 0 && this.#abortsAt === t.commit.aborts;
    let id = stored && !t.log.doesExist(cached + 1) ? cached : this.#lastId();
    const log = t.log as unknown as PutWithOptions<number, Entry>;
    const ids: number[] = [];
    for (const e of events) {
      id += 1;
      const entry = {
        o: e.originatorId,
        v: e.originatorVersion,
        t: e.topic,
        e: e.eventId,
        s: e.state,
      };
      void log.put(id, entry, APPEND);
      void t.streams.put([e.originatorId, e.originatorVersion], id);
      void t.eventIds.put(e.eventId, id);
      ids.push(id);
    }
    if (tracking !== undefined)
      void t.tracking.put([tracking.applicationName, tracking.notificationId], true);
    this.#lastWritten = id;
    this.#abortsAt = t.commit.aborts;
    return ids;
  }

  #read<T>(signal: AbortSignal | undefined, body: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      this.group.assertOpen('LMDB recorder');
      throwIfAborted('LMDB recorder read', signal);
      try {
        resolve(body());
      } catch (error) {
        throw backendError('LMDB recorder', error);
      }
    });
  }
}

/** Snapshots in LMDB: a plain aggregate recorder keyed by [originator id, version]. */
export class LmdbSnapshotRecorder extends GroupResource implements AggregateRecorder {
  readonly #t: LmdbTables;

  constructor(tables: LmdbTables) {
    super();
    this.#t = tables;
  }

  async insertEvents(events: readonly StoredEvent[]): Promise<number[]> {
    this.group.assertOpen('LMDB recorder');
    const { snapshots, commit } = this.#t;
    await commit.run(() => {
      checkInsert(
        events,
        (id, version) => snapshots.get([id, version]),
        () => undefined,
        false,
      );
      for (const e of events) {
        void snapshots.put([e.originatorId, e.originatorVersion], {
          o: e.originatorId,
          v: e.originatorVersion,
          t: e.topic,
          e: e.eventId,
          s: e.state,
        });
      }
    });
    return [];
  }

  selectEvents(originatorId: string, options: SelectEventsOptions = {}): Promise<StoredEvent[]> {
    return new Promise((resolve) => {
      this.group.assertOpen('LMDB recorder');
      throwIfAborted('LMDB recorder read', options.signal);
      resolve(
        Array.from(this.#t.snapshots.getRange(versionRange(originatorId, options)), ({ value }) =>
          toStored(value),
        ),
      );
    });
  }
}
