import { setTimeout as sleep } from 'node:timers/promises';

import { ClosedError, EventerMsgType, ResourceGroup, Status, toError } from '@eventum/core';
import type { Event, QueryParams, QueryResult, RegisterEvent, Resource } from '@eventum/core';

import { Broadcast } from './broadcast.js';
import { ConsumerOverflowError } from './eventer-errors.js';
import { EventerLink } from './eventer-link.js';
import type { LinkHandlers } from './eventer-link.js';
import { resolveEventerOptions } from './eventer-options.js';
import type { EventerClientOptions, ResolvedEventerOptions } from './eventer-options.js';

/** Status changes a `statuses()` consumer may lag behind by; older ones are dropped. */
const STATUS_QUEUE_SIZE = 16;

/** Options of {@link EventerClient.register}. */
export interface RegisterOptions {
  /** Wait for the server's answer (`last=false`); default false (fire-and-forget, `last=true`). */
  readonly withResponse?: boolean;
}

/**
 * Connects to an eventer server (Hat's `hat.event.eventer.connect`): opens the connection, sends
 * `MsgInitReq` and awaits `MsgInitRes`. Rejects with `EventerInitError` (`ERR_REFUSED`) when the
 * server refuses the client, `ERR_REFUSED` when the connection cannot be established,
 * `ERR_PROTOCOL` on an invalid answer, `ERR_ABORTED` when `options.signal` aborts; in every case
 * nothing is left open. The caller owns the client and closes it.
 *
 * @example
 * const client = await connect({ clientName: 'svc', subscriptions: [['sensor', '*']] });
 * await client.register([{ type: ['sensor', 'a'], payload: { type: 'json', data: 1 } }]);
 * for await (const events of client.events()) console.log(events);
 */
export function connect(options: EventerClientOptions): Promise<EventerClient> {
  return EventerClient.connect(options);
}

/**
 * An eventer client: register, query, and live notifications of subscribed events.
 *
 * Delivery of notifications: `onEvents` (an option) is awaited per notification and gates the
 * ack; `events()` iterators receive every batch too, each through its own bounded queue
 * (`eventsQueueSize` batches; a consumer further behind fails with `ConsumerOverflowError`).
 *
 * Connection loss: pending requests fail with `ERR_CLOSED` (`cause` = the reason). Without the
 * `reconnect` option the client then closes with that reason. With it, `status` becomes
 * `standby` while disconnected (requests fail fast with `ERR_CLOSED`), and after a successful
 * re-init it takes the server's status again.
 */
export class EventerClient implements Resource {
  readonly #options: ResolvedEventerOptions;
  readonly #group = new ResourceGroup();
  readonly #statuses = new Broadcast<Status>(STATUS_QUEUE_SIZE, 'drop-oldest');
  readonly #events: Broadcast<readonly Event[]>;
  #link: EventerLink | null = null;
  #status: Status = Status.Standby;
  #disconnectReason: Error | undefined;

  /** Same as the module function {@link connect}. */
  static async connect(options: EventerClientOptions): Promise<EventerClient> {
    const resolved = resolveEventerOptions(options);
    const client = new EventerClient(resolved);
    client.#attach(await EventerLink.open(resolved, client.#handlers, options.signal));
    return client;
  }

  private constructor(options: ResolvedEventerOptions) {
    this.#options = options;
    const limit = options.eventsQueueSize;
    this.#events = new Broadcast(limit, 'error', () => new ConsumerOverflowError(limit));
    this.#group.onClose(async (reason) => {
      this.#statuses.close();
      this.#events.close();
      await this.#link?.close(reason);
    });
  }

  /** The server's current status (from `MsgInitRes`, then `MsgStatusNotify`); `standby` while
   * disconnected. */
  get status(): Status {
    return this.#status;
  }

  /** True while an initialised connection is open. */
  get isConnected(): boolean {
    return this.#link !== null && !this.#link.isClosed;
  }

  get isClosed(): boolean {
    return this.#group.isClosed;
  }

  get closed(): Promise<Error | undefined> {
    return this.#group.closed;
  }

  /**
   * A new iterator of status changes (only changes; not the current status), ending when the
   * client closes. Statuses are state, so a consumer more than 16 changes behind loses the oldest.
   */
  statuses(): AsyncIterableIterator<Status> {
    return this.#statuses.subscribe();
  }

  /**
   * A new iterator of notified event batches from now on, in order, ending when the client closes.
   * Each consumer has its own queue of at most `eventsQueueSize` batches; one that falls further
   * behind fails with `ConsumerOverflowError` instead of growing memory (the others continue).
   */
  events(): AsyncIterableIterator<readonly Event[]> {
    return this.#events.subscribe();
  }

  /**
   * Registers `events`. Fire-and-forget (default): resolves once the request is written to the
   * socket (`last=true`; the server never answers). With `withResponse: true`: resolves with the
   * registered events (same order and count) or `null` when the server reports failure. When the
   * send queue is over `maxSendQueueBytes`, first waits for it to drain. Rejects with `ERR_CLOSED`
   * when not connected or when the connection is lost before the answer.
   */
  register(
    events: readonly RegisterEvent[],
    options?: { readonly withResponse?: false },
  ): Promise<void>;
  register(
    events: readonly RegisterEvent[],
    options: { readonly withResponse: true },
  ): Promise<readonly Event[] | null>;
  register(
    events: readonly RegisterEvent[],
    options?: RegisterOptions,
  ): Promise<readonly Event[] | null | void>;
  async register(
    events: readonly RegisterEvent[],
    options: RegisterOptions = {},
  ): Promise<readonly Event[] | null | void> {
    const msg = { type: EventerMsgType.RegisterReq, data: events } as const;
    const link = await this.#linkWithRoom();
    if (options.withResponse !== true) return link.post(msg);
    const { data } = await link.request(msg, EventerMsgType.RegisterRes);
    return data.type === 'events' ? data.events : null;
  }

  /** Queries the server. Rejects with `ERR_CLOSED` when not connected or when the connection is
   * lost before the answer. `moreFollows` tells whether to page on (see `queryPages`). */
  async query(params: QueryParams): Promise<QueryResult> {
    const msg = { type: EventerMsgType.QueryReq, data: params } as const;
    const link = await this.#linkWithRoom();
    const { data } = await link.request(msg, EventerMsgType.QueryRes);
    return data;
  }

  /** Closes the connection and ends every iterator; idempotent. Pending requests fail with
   * `ERR_CLOSED`. Does not wait for a running `onEvents` callback. */
  close(reason?: Error): Promise<void> {
    return this.#group.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The callbacks links report to. */
  readonly #handlers: LinkHandlers = {
    onStatus: (status) => this.#setStatus(status),
    onEvents: (events) => {
      this.#events.publish(events);
      // `events()` consumers are promise-driven: they get their turn before the next
      // notification, as they always had. Without them, a synchronous callback (the common case)
      // costs no promise per notification.
      if (this.#events.size > 0) return this.#awaitOnEvents(events);
      let handled: unknown;
      try {
        handled = this.#options.onEvents?.(events);
      } catch (error) {
        void this.close(toError(error));
        throw error;
      }
      if (!isPromiseLike(handled)) return undefined;
      return Promise.resolve(handled).then(
        () => undefined,
        (error: unknown) => {
          void this.close(toError(error));
          throw error;
        },
      );
    },
  };

  async #awaitOnEvents(events: readonly Event[]): Promise<void> {
    try {
      await this.#options.onEvents?.(events);
    } catch (error) {
      void this.close(toError(error));
      throw error;
    }
  }

  /** Makes `link` the current connection and watches it. */
  #attach(link: EventerLink): void {
    if (this.isClosed) {
      void link.close();
      return;
    }
    this.#link = link;
    this.#setStatus(link.initialStatus);
    void link.closed.then((reason) => this.#onLinkClosed(link, reason));
    link.start();
  }

  async #linkWithRoom(): Promise<EventerLink> {
    const link = this.#currentLink();
    if (link.connection.isSendQueueFull) await link.connection.drain();
    return this.#currentLink();
  }

  #currentLink(): EventerLink {
    this.#group.assertOpen('eventer client');
    const link = this.#link;
    if (link === null || link.isClosed) {
      throw new ClosedError('eventer client is disconnected', { cause: this.#disconnectReason });
    }
    return link;
  }

  #setStatus(status: Status): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#statuses.publish(status);
  }

  #onLinkClosed(link: EventerLink, reason: Error | undefined): void {
    if (this.#link !== link || this.isClosed) return;
    this.#link = null;
    this.#disconnectReason = reason;
    this.#setStatus(Status.Standby);
    const delayMs = this.#options.reconnectDelayMs;
    if (delayMs === null) {
      void this.close(reason);
      return;
    }
    this.#options.logger.info('eventer connection lost; reconnecting', { reason: reason?.message });
    this.#group.spawn((signal) => this.#reconnect(delayMs, signal));
  }

  async #reconnect(delayMs: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(delayMs, undefined, { signal });
        this.#attach(await EventerLink.open(this.#options, this.#handlers, signal));
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.#options.logger.warn('eventer reconnect failed', { error: toError(error).message });
      }
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
