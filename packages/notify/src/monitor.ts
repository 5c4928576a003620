import {
  EventumError,
  ErrorCode,
  GroupResource,
  invalidArgument,
  newEnvelopeId,
} from '@eventum/core';

import type { Kind } from './kind.js';
import type { Notifier } from './notifier.js';
import type { Notification, NotifySubscription } from './subscription.js';

/** Default number of notifications a monitor keeps per subscription (the oldest go first). */
export const DEFAULT_MONITOR_BUFFER = 1000;

/** Options of {@link createEventMonitor}. */
export interface EventMonitorOptions {
  /** Notifications kept per subscription (default {@link DEFAULT_MONITOR_BUFFER}). */
  readonly maxPerSubscription?: number;
}

/** What a session subscribes to: a kind (name or id) and/or an origin pattern; absent = any. */
export interface MonitorFilter {
  readonly kind?: string | number;
  readonly origin?: string;
}

/** One subscription's share of {@link EventMonitor.getData}. */
export interface MonitorSubscriptionData {
  readonly subscriptionId: string;
  /** The bus pattern (ION's `subscription_desc`, the binding key). */
  readonly pattern: string;
  readonly notifications: readonly Notification[];
  /** Notifications this subscription dropped so far because its buffer was full. */
  readonly dropped: number;
}

interface Entry {
  readonly id: string;
  readonly sub: NotifySubscription<Notification>;
  readonly items: { readonly seq: number; readonly notification: Notification }[];
  dropped: number;
}

interface Session {
  readonly subscriptions: Map<string, Entry>;
  /** The last sequence number a poll returned: incremental polls start after it. */
  cursor: number;
}

/**
 * ION's event monitor: sessions subscribe to notifications by kind and origin, then poll with
 * {@link getData}, either since a time (the notifications' `datetime`) or incrementally since their
 * previous poll. Unlike ION's (which kept everything forever and polled by the publishers'
 * clocks) each subscription keeps at most `maxPerSubscription` notifications, and incremental
 * polls follow arrival order, so clock skew loses or repeats nothing.
 *
 * A `Resource`: closing it ends every subscription. It does not own the notifier's bus.
 */
export class EventMonitor extends GroupResource {
  readonly #notifier: Notifier<Kind>;
  readonly #max: number;
  readonly #sessions = new Map<string, Session>();
  #seq = 0;

  constructor(notifier: Notifier<Kind>, options: EventMonitorOptions = {}) {
    super();
    this.#notifier = notifier;
    this.#max = options.maxPerSubscription ?? DEFAULT_MONITOR_BUFFER;
    if (!Number.isSafeInteger(this.#max) || this.#max < 1) {
      throw invalidArgument(`maxPerSubscription must be a positive integer, got ${this.#max}`);
    }
  }

  /**
   * Subscribes `sessionId` to `filter`; resolves with the subscription id once the bus has
   * registered it. Throws `ERR_INVALID_ARGUMENT` for an unknown kind or a bad origin pattern,
   * `ERR_CLOSED` once the monitor is closed.
   */
  async subscribe(sessionId: string, filter: MonitorFilter = {}): Promise<string> {
    this.group.assertOpen('event monitor');
    const kind =
      filter.kind === undefined ? undefined : this.#notifier.catalogue.resolve(filter.kind);
    const sub: NotifySubscription<Notification> = this.#notifier.subscribe({
      ...(kind === undefined ? {} : { kind }),
      ...(filter.origin === undefined ? {} : { origin: filter.origin }),
    });
    const session = this.#session(sessionId);
    let id = newEnvelopeId().slice(0, 8);
    while (session.subscriptions.has(id)) id = newEnvelopeId().slice(0, 8);
    const entry: Entry = { id, sub, items: [], dropped: 0 };
    session.subscriptions.set(id, entry);
    this.group.spawn((signal) => this.#pump(entry, signal));
    await sub.ready;
    return id;
  }

  /** Ends one subscription of the session, or all of them; resolves with how many ended. Throws
   * `ERR_NOT_FOUND` for a subscription id the session does not have. */
  async unsubscribe(sessionId: string, subscriptionId?: string): Promise<number> {
    const session = this.#sessions.get(sessionId);
    const entries =
      subscriptionId === undefined
        ? [...(session?.subscriptions.values() ?? [])]
        : [this.#entry(sessionId, subscriptionId)];
    for (const entry of entries) session?.subscriptions.delete(entry.id);
    if (session?.subscriptions.size === 0) this.#sessions.delete(sessionId);
    await Promise.all(entries.map((e) => e.sub.close()));
    return entries.length;
  }

  /**
   * The session's notifications, per subscription (all, or those named): with `since` (epoch
   * seconds) those whose `datetime` is at or after it, without it those that arrived after the
   * session's previous poll. Every poll moves the session's cursor. An unknown session has no
   * data; an unknown subscription id throws `ERR_NOT_FOUND`.
   */
  getData(
    sessionId: string,
    options: { readonly since?: number; readonly subscriptionIds?: readonly string[] } = {},
  ): MonitorSubscriptionData[] {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return [];
    const entries =
      options.subscriptionIds === undefined
        ? [...session.subscriptions.values()]
        : options.subscriptionIds.map((id) => this.#entry(sessionId, id));
    const since = options.since;
    const after = session.cursor;
    session.cursor = this.#seq;
    return entries.map((entry) => ({
      subscriptionId: entry.id,
      pattern: entry.sub.pattern,
      notifications: entry.items
        .filter((i) =>
          since === undefined ? i.seq > after : i.notification.data.datetime >= since,
        )
        .map((i) => i.notification),
      dropped: entry.dropped,
    }));
  }

  /** How many subscriptions the sessions hold together. */
  get subscriptionCount(): number {
    let count = 0;
    for (const session of this.#sessions.values()) count += session.subscriptions.size;
    return count;
  }

  /** The ids of the sessions with at least one subscription. */
  get sessions(): readonly string[] {
    return [...this.#sessions.keys()];
  }

  #session(sessionId: string): Session {
    let session = this.#sessions.get(sessionId);
    if (session === undefined) {
      session = { subscriptions: new Map(), cursor: this.#seq };
      this.#sessions.set(sessionId, session);
    }
    return session;
  }

  #entry(sessionId: string, subscriptionId: string): Entry {
    const entry = this.#sessions.get(sessionId)?.subscriptions.get(subscriptionId);
    if (entry !== undefined) return entry;
    const message = `session ${sessionId} has no subscription ${subscriptionId}`;
    throw new EventumError(ErrorCode.NotFound, message);
  }

  async #pump(entry: Entry, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => void entry.sub.close(), { once: true });
    for await (const notification of entry.sub) {
      entry.items.push({ seq: ++this.#seq, notification });
      if (entry.items.length > this.#max) {
        entry.items.shift();
        entry.dropped++;
      }
    }
  }
}

/** An {@link EventMonitor} on `notifier` (no I/O). */
export function createEventMonitor(
  notifier: Notifier<Kind>,
  options: EventMonitorOptions = {},
): EventMonitor {
  return new EventMonitor(notifier, options);
}
