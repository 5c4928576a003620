import { ErrorCode, EventumError, GroupResource, invalidArgument } from '@eventum/core';
import type {
  AggregateRecorder,
  InsertOptions,
  Notification,
  ProcessRecorder,
  SelectEventsOptions,
  SelectNotificationsOptions,
  StoredEvent,
} from '@eventum/core';
import type pg from 'pg';

import { abortable, throwIfAborted } from '../abort.js';
import { ConflictError, backendError } from '../errors.js';
import {
  checkInsert,
  eventIdConflict,
  gapConflict,
  validateBatch,
  versionConflict,
} from '../recorder-checks.js';
import { MAX_EVENTS_PER_INSERT } from './schema.js';
import type { TableNames } from './schema.js';
import type { Statements } from './sql.js';

const MAX_BIGINT = '9223372036854775807';

interface Row {
  readonly originator_id: string;
  readonly originator_version: string;
  readonly topic: string;
  readonly event_id: string;
  readonly state: Buffer;
}

/** A notification id read back as a JS number; beyond 2^53 it is `ERR_UNSUPPORTED`. */
export function toId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id)) {
    throw new EventumError(
      ErrorCode.Unsupported,
      `notification id ${text} is beyond 2^53 (see docs/sourcing.md)`,
    );
  }
  return id;
}

function toStored(row: Row): StoredEvent {
  return {
    originatorId: row.originator_id,
    originatorVersion: Number(row.originator_version),
    topic: row.topic,
    eventId: row.event_id,
    state: row.state,
  };
}

function columns(events: readonly StoredEvent[]): unknown[] {
  return [
    events.map((e) => e.originatorId),
    events.map((e) => e.originatorVersion),
    events.map((e) => e.topic),
    events.map((e) => e.eventId),
    events.map((e) => e.state),
  ];
}

/** Prepared-statement names by text: each connection parses and plans a statement once. The
 * same text always gets the same name, so connections of any pool agree. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `eventum_sourcing_${names.size + 1}`));
  return name;
}

function isUniqueViolation(error: unknown): error is { constraint?: string } {
  return (error as { code?: unknown }).code === '23505';
}

/** Shared by events and snapshots: selecting one originator's events. */
abstract class PostgresTable extends GroupResource {
  protected readonly pool: pg.Pool;
  protected readonly sql: Statements;
  protected readonly tables: TableNames;

  constructor(pool: pg.Pool, sql: Statements, tables: TableNames) {
    super();
    this.pool = pool;
    this.sql = sql;
    this.tables = tables;
  }

  protected abstract get table(): string;

  async selectEvents(
    originatorId: string,
    options: SelectEventsOptions = {},
  ): Promise<StoredEvent[]> {
    const { gt = 0, lte, desc = false, limit, signal } = options;
    const rows = await this.read<Row>(
      this.sql.selectEvents(this.table, desc),
      [originatorId, gt, lte ?? MAX_BIGINT, limit ?? null],
      signal,
    );
    return rows.map(toStored);
  }

  /** A query the caller may abandon: `ERR_ABORTED` as soon as `signal` fires (the statement
   * runs to its end on its connection; its rows are dropped). */
  protected async read<R extends object>(
    text: string,
    values: unknown[],
    signal: AbortSignal | undefined,
  ): Promise<R[]> {
    throwIfAborted('PostgreSQL recorder read', signal);
    return await abortable('PostgreSQL recorder read', this.query<R>(text, values), signal);
  }

  protected async query<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    this.group.assertOpen('PostgreSQL recorder');
    try {
      return (await this.pool.query<R>({ name: statementName(text), text, values })).rows;
    } catch (error) {
      if (isUniqueViolation(error)) throw error;
      throw backendError('PostgreSQL recorder', error);
    }
  }
}

/** Snapshots: a plain aggregate recorder (no notification ids, no order across originators). */
export class PostgresSnapshotRecorder extends PostgresTable implements AggregateRecorder {
  protected get table(): string {
    return this.tables.snapshots;
  }

  async insertEvents(events: readonly StoredEvent[]): Promise<number[]> {
    validateBatch(events, false);
    if (events.length === 0) return [];
    try {
      await this.query(this.sql.insertSnapshots, columns(events));
    } catch (error) {
      if (isUniqueViolation(error)) throw versionConflict(events[0]!);
      throw error;
    }
    return [];
  }
}

/**
 * The events of one application on PostgreSQL: aggregate, application and process tiers. One
 * insert is one statement (events and tracking row together, atomically) and one round trip.
 */
export class PostgresEventRecorder extends PostgresTable implements ProcessRecorder {
  protected get table(): string {
    return this.tables.events;
  }

  async insertEvents(
    events: readonly StoredEvent[],
    options: InsertOptions = {},
  ): Promise<number[]> {
    const firsts = validateBatch(events);
    if (events.length > MAX_EVENTS_PER_INSERT) {
      throw invalidArgument(
        `an insert carries at most ${MAX_EVENTS_PER_INSERT} events, got ${events.length}`,
      );
    }
    const { tracking } = options;
    const predecessors = [...firsts].filter(([, first]) => first > 1);
    const values = columns(events);
    values.push(
      predecessors.map(([id]) => id),
      predecessors.map(([, first]) => first - 1),
    );
    if (tracking !== undefined) values.push(tracking.applicationName, tracking.notificationId);
    try {
      const rows = await this.query<{ id: string | null; gap: string | null }>(
        tracking ? this.sql.insertTracked : this.sql.insert,
        values,
      );
      const gap = rows.find((r) => r.gap !== null)?.gap;
      if (gap != null) throw gapConflict(gap, firsts.get(gap)!);
      return rows.map((r) => toId(r.id!));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.#resolveConflict(events, error.constraint, options);
    }
  }

  async selectNotifications(options: SelectNotificationsOptions): Promise<Notification[]> {
    const { start, limit, stop, topics = [] } = options;
    if (limit <= 0) return [];
    const values: unknown[] = [Math.max(start, 0), stop ?? MAX_BIGINT, limit];
    if (topics.length > 0) values.push(topics);
    const text =
      topics.length > 0 ? this.sql.selectNotificationsByTopic : this.sql.selectNotifications;
    const rows = await this.read<Row & { id: string }>(text, values, options.signal);
    return rows.map((row) => ({ ...toStored(row), id: toId(row.id) }));
  }

  async maxNotificationId(): Promise<number> {
    const [row] = await this.query<{ id: string }>(this.sql.maxNotificationId, []);
    return toId(row!.id);
  }

  async maxTrackingId(applicationName: string): Promise<number> {
    const [row] = await this.query<{ id: string }>(this.sql.maxTrackingId, [applicationName]);
    return toId(row!.id);
  }

  async hasTrackingId(applicationName: string, notificationId: number): Promise<boolean> {
    return (await this.query(this.sql.hasTrackingId, [applicationName, notificationId])).length > 0;
  }

  /** A unique violation: an idempotent retry (all event ids stored at the same positions), or a
   * conflict of the kind the violated constraint names. */
  async #resolveConflict(
    events: readonly StoredEvent[],
    constraint: string | undefined,
    options: InsertOptions,
  ): Promise<number[]> {
    if (constraint === this.tables.trackingKey) {
      const t = options.tracking!;
      throw new ConflictError(
        'tracking',
        `notification ${t.notificationId} of ${t.applicationName} is already tracked`,
      );
    }
    const rows = await this.query<{
      id: string;
      originator_id: string;
      originator_version: string;
      event_id: string;
    }>(this.sql.findEventIds, [events.map((e) => e.eventId)]);
    const byId = new Map(
      rows.map((r) => [
        r.event_id,
        {
          originatorId: r.originator_id,
          originatorVersion: Number(r.originator_version),
          eventId: r.event_id,
          id: r.id,
        },
      ]),
    );
    const stored = checkInsert(
      events,
      () => undefined,
      (id) => byId.get(id),
      false,
    );
    if (stored !== undefined && options.tracking === undefined)
      return stored.map((s) => toId(s.id));
    if (constraint === this.tables.eventIdIndex)
      throw eventIdConflict(events.find((e) => byId.has(e.eventId)) ?? events[0]!);
    throw versionConflict(events[0]!);
  }
}
