import { GroupResource } from '@eventum/core';
import type {
  InsertOptions,
  Notification,
  ProcessRecorder,
  Recorders,
  SelectEventsOptions,
  SelectNotificationsOptions,
  StoredEvent,
} from '@eventum/core';

import { throwIfAborted } from './abort.js';
import { ConflictError } from './errors.js';
import { checkInsert, selectRange, settle } from './recorder-checks.js';

/**
 * The reference recorder: everything in this process's memory, lost when it exits. Ids are
 * gapless from 1; every insert is checked completely before anything changes, so a failed
 * batch leaves no trace. Reads return copies of the stored arrays, not of the state bytes.
 */
export class MemoryRecorder extends GroupResource implements ProcessRecorder {
  readonly gaplessIds = true;
  readonly #log: Notification[] = [];
  readonly #streams = new Map<string, Map<number, Notification>>();
  readonly #eventIds = new Map<string, Notification>();
  readonly #tracking = new Map<string, { max: number; ids: Set<number> }>();
  readonly #notifies: boolean;

  /** `notifies: false` makes a plain aggregate recorder (snapshots): no ids are returned. */
  constructor(options: { readonly notifies?: boolean } = {}) {
    super();
    this.#notifies = options.notifies ?? true;
  }

  insertEvents(events: readonly StoredEvent[], options: InsertOptions = {}): Promise<number[]> {
    return settle(() => this.#insert(events, options));
  }

  #insert(events: readonly StoredEvent[], options: InsertOptions): number[] {
    this.group.assertOpen('memory recorder');
    const existing = checkInsert(
      events,
      (id, version) => this.#streams.get(id)?.get(version),
      (id) => this.#eventIds.get(id),
      this.#notifies,
    );
    if (existing !== undefined) return this.#notifies ? existing.map((n) => n.id) : [];
    const { tracking } = options;
    if (
      tracking !== undefined &&
      this.#tracked(tracking.applicationName).ids.has(tracking.notificationId)
    ) {
      throw new ConflictError(
        'tracking',
        `notification ${tracking.notificationId} of ${tracking.applicationName} is already tracked`,
      );
    }
    const ids = events.map((e) => this.#append(e));
    if (tracking !== undefined) {
      const t = this.#tracked(tracking.applicationName);
      t.ids.add(tracking.notificationId);
      t.max = Math.max(t.max, tracking.notificationId);
    }
    return this.#notifies ? ids : [];
  }

  selectEvents(originatorId: string, options: SelectEventsOptions = {}): Promise<StoredEvent[]> {
    return settle(() => {
      this.group.assertOpen('memory recorder');
      throwIfAborted('memory recorder read', options.signal);
      const stream = this.#streams.get(originatorId);
      const versions = stream === undefined ? [] : [...stream.keys()].sort((a, b) => a - b);
      return selectRange(versions, options).map((v) => stream!.get(v)!);
    });
  }

  selectNotifications(options: SelectNotificationsOptions): Promise<Notification[]> {
    return settle(() => {
      this.group.assertOpen('memory recorder');
      throwIfAborted('memory recorder read', options.signal);
      const { start, limit, stop = Infinity, topics = [] } = options;
      const out: Notification[] = [];
      for (let i = Math.max(start, 1) - 1; i < this.#log.length && out.length < limit; i++) {
        const n = this.#log[i]!;
        if (n.id > stop) break;
        if (topics.length === 0 || topics.includes(n.topic)) out.push(n);
      }
      return out;
    });
  }

  maxNotificationId(): Promise<number> {
    return settle(() => {
      this.group.assertOpen('memory recorder');
      return this.#log.length;
    });
  }

  maxTrackingId(applicationName: string): Promise<number> {
    return settle(() => {
      this.group.assertOpen('memory recorder');
      return this.#tracking.get(applicationName)?.max ?? 0;
    });
  }

  hasTrackingId(applicationName: string, notificationId: number): Promise<boolean> {
    return settle(() => {
      this.group.assertOpen('memory recorder');
      return this.#tracking.get(applicationName)?.ids.has(notificationId) ?? false;
    });
  }

  #append(event: StoredEvent): number {
    const notification: Notification = { ...event, id: this.#log.length + 1 };
    this.#log.push(notification);
    let stream = this.#streams.get(event.originatorId);
    if (stream === undefined)
      this.#streams.set(event.originatorId, (stream = new Map<number, Notification>()));
    stream.set(event.originatorVersion, notification);
    this.#eventIds.set(event.eventId, notification);
    return notification.id;
  }

  #tracked(name: string): { max: number; ids: Set<number> } {
    let t = this.#tracking.get(name);
    if (t === undefined) this.#tracking.set(name, (t = { max: 0, ids: new Set() }));
    return t;
  }
}

/** Recorders of one application kept in memory. */
export function createMemoryRecorders(): Promise<Recorders> {
  return Promise.resolve(new MemoryRecorders());
}

class MemoryRecorders extends GroupResource implements Recorders {
  readonly events = new MemoryRecorder();
  readonly snapshots = new MemoryRecorder({ notifies: false });

  constructor() {
    super();
    this.group.adopt(this.events);
    this.group.adopt(this.snapshots);
  }
}
