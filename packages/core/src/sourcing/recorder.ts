import type { Resource } from '../lifecycle/resource.js';

/**
 * One domain event as a recorder stores it: position columns in clear (originator id and
 * version, topic, event id) and the mapped payload (`state`: transcoded, maybe compressed and
 * encrypted) as opaque bytes.
 */
export interface StoredEvent {
  readonly originatorId: string;
  /** 1-based version of the event within its originator's stream. */
  readonly originatorVersion: number;
  /** The event type (or, for snapshots, the aggregate type). Filters of the log match it. */
  readonly topic: string;
  /** Unique in the store: appending an event id again is idempotent (see `insertEvents`). */
  readonly eventId: string;
  readonly state: Uint8Array;
}

/** A stored event with its position in the application's total order. */
export interface Notification extends StoredEvent {
  /** Ascending in the order readers see events; never reused. May have gaps (PostgreSQL). */
  readonly id: number;
}

/** The position of an upstream notification a process application has processed. */
export interface Tracking {
  readonly applicationName: string;
  readonly notificationId: number;
}

/** Range of one originator's events: versions `> gt` and `<= lte`, ascending unless `desc`. */
export interface SelectEventsOptions {
  readonly gt?: number;
  readonly lte?: number;
  readonly desc?: boolean;
  readonly limit?: number;
  /** Cancels the read: it rejects with `ERR_ABORTED` (before it starts, or while it waits). */
  readonly signal?: AbortSignal | undefined;
}

/** Range of the notification log: ids `>= start` and `<= stop`, at most `limit`, in order. */
export interface SelectNotificationsOptions {
  readonly start: number;
  readonly limit: number;
  readonly stop?: number;
  /** Only notifications whose topic is one of these (all when empty or absent). */
  readonly topics?: readonly string[];
  /** Cancels the read: it rejects with `ERR_ABORTED` (before it starts, or while it waits). */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link AggregateRecorder.insertEvents}. */
export interface InsertOptions {
  /** Recorded in the same transaction as the events (process recorders only). */
  readonly tracking?: Tracking;
}

/**
 * Stores events of many originators. Uniqueness of (originator id, version) is the optimistic
 * concurrency control: an insert that repeats a stored position fails with `ERR_CONFLICT` and
 * writes nothing (a batch is atomic). An insert whose events are all already stored with the
 * same event ids at the same positions is a no-op that returns their notification ids
 * (idempotent retries); an event id stored at another position is `ERR_CONFLICT`.
 * Storage failures are `ERR_BACKEND` with the driver's error as `cause`.
 */
export interface AggregateRecorder extends Resource {
  /** Inserts atomically; resolves with the notification ids of the events (application
   * recorders) or an empty array (plain aggregate recorders, e.g. snapshots). */
  insertEvents(events: readonly StoredEvent[], options?: InsertOptions): Promise<number[]>;
  selectEvents(originatorId: string, options?: SelectEventsOptions): Promise<StoredEvent[]>;
}

/**
 * Adds a total order. Readers never see a gap that is filled later: once a notification with id
 * `n` was returned, no notification with an id below `n` appears afterwards.
 */
export interface ApplicationRecorder extends AggregateRecorder {
  selectNotifications(options: SelectNotificationsOptions): Promise<Notification[]>;
  /** The greatest id a reader can see now, 0 when the log is empty. */
  maxNotificationId(): Promise<number>;
  /**
   * True when ids are 1, 2, 3, … without gaps and each insert's ids follow the previous
   * insert's (memory, LMDB): a follower told of an insert may then process it without reading
   * the log. Absent or false (PostgreSQL: gaps, and commits that finish out of id order).
   */
  readonly gaplessIds?: boolean;
}

/** Adds tracking records, written in the same transaction as the events they caused. A repeated
 * tracking record fails the whole insert with `ERR_CONFLICT`. */
export interface ProcessRecorder extends ApplicationRecorder {
  /** The greatest tracked notification id of the upstream application, 0 when none. */
  maxTrackingId(applicationName: string): Promise<number>;
  hasTrackingId(applicationName: string, notificationId: number): Promise<boolean>;
}

/** The recorders of one application: its events (process tier) and its snapshots. */
export interface Recorders extends Resource {
  readonly events: ProcessRecorder;
  readonly snapshots: AggregateRecorder;
}
