import {
  ClosedError,
  DEFAULT_MAX_RESULT_BYTES,
  EventumError,
  GroupResource,
  StorageHealth,
  Subscription,
  boundedPage,
  noopLogger,
} from '@eventum/core';
import type {
  Backend,
  BackendContext,
  Event,
  EventId,
  Logger,
  QueryParams,
  QueryResult,
} from '@eventum/core';

import type { ResolvedTextlogConfig } from './config.js';
import { findEvent, newestOfType, searchEvents } from './extras.js';
import type { SearchParams } from './extras.js';
import { Mutex } from './mutex.js';
import { queryServer, queryTimeseries } from './queries.js';
import type { PageLimits } from './queries.js';
import { advances, fold, typeKey, writeState } from './state.js';
import type { BackendState } from './state.js';
import type { SpanStore } from './store.js';

/**
 * The textlog backend. Registered events are queued in memory (visible to queries at once) and
 * written every `flush_period` by replacing the touched span files atomically, then the state
 * file; `onFlushed` follows, batch by batch, in registration order. Memory holds the unflushed
 * events, the last id per server, the latest event per type, the span stats and an LRU of
 * parsed span files.
 */
export class TextlogBackend extends GroupResource implements Backend {
  readonly #config: ResolvedTextlogConfig;
  readonly #store: SpanStore;
  readonly #state: BackendState;
  readonly #mutex = new Mutex();
  readonly #logger: Logger;
  readonly #onRegistered: ((events: readonly Event[]) => void) | undefined;
  readonly #onFlushed: ((events: readonly Event[]) => void) | undefined;
  /** Registered batches not flushed yet, in order. */
  #batches: Event[][] = [];
  /** Bytes of encoded events a query result may hold. */
  readonly #maxBytes: number;
  readonly #health: StorageHealth;

  constructor(
    config: ResolvedTextlogConfig,
    store: SpanStore,
    state: BackendState,
    context: Partial<BackendContext>,
  ) {
    super();
    this.#config = config;
    this.#store = store;
    this.#state = state;
    this.#logger = context.logger ?? noopLogger;
    this.#health = new StorageHealth(this.#logger);
    this.#onRegistered = context.onRegistered;
    this.#onFlushed = context.onFlushed;
    this.#maxBytes = context.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    if (config.flushPeriodMs > 0) this.group.spawn((signal) => this.#flushLoop(signal));
    this.group.onClose(() => this.#mutex.run(() => this.#flushNow()));
  }

  get #limits(): PageLimits {
    return { maxResults: this.#config.maxResults, maxBytes: this.#maxBytes };
  }

  getLastEventId(serverId: number): Promise<EventId> {
    this.group.assertOpen('textlog backend');
    const last = this.#state.servers.get(serverId);
    return Promise.resolve(last?.id ?? { server: serverId, session: 0, instance: 0 });
  }

  async register(events: readonly Event[]): Promise<readonly Event[] | null> {
    if (this.isClosed) throw new ClosedError('textlog backend is closed');
    // Without a flush loop, each registration retries the flush that failed.
    if (this.#health.failure !== null && this.#config.flushPeriodMs === 0) {
      await this.flush().catch(() => undefined);
    }
    // Failing storage (e.g. a full disk): refuse rather than pile up unwritable events.
    if (this.#health.refuse()) return null;
    const stored: Event[] = [];
    for (const event of events) {
      if (!advances(this.#state, event)) {
        this.#logger.warn('skipping event with stale id or timestamp', { id: event.id });
        continue;
      }
      fold(this.#state, event);
      this.#store.add(event);
      stored.push(event);
    }
    if (stored.length === 0) return stored;
    this.#batches.push(stored);
    this.#onRegistered?.(stored);
    if (this.#config.flushPeriodMs === 0) {
      try {
        await this.flush();
      } catch (error) {
        this.#logger.error('flush failed; retried on the next one', { error });
      }
    }
    return stored;
  }

  async query(params: QueryParams): Promise<QueryResult> {
    this.group.assertOpen('textlog backend');
    switch (params.type) {
      case 'latest': {
        const subscription = new Subscription(params.eventTypes ?? [['*']]);
        const events = [...this.#state.latest.values()].filter((e) => subscription.matches(e.type));
        return boundedPage(events, Infinity, this.#maxBytes);
      }
      case 'timeseries':
        return this.#mutex.run(() => queryTimeseries(this.#store, params, this.#limits));
      case 'server':
        return this.#mutex.run(() => queryServer(this.#store, params, this.#limits));
    }
  }

  flush(): Promise<void> {
    if (this.isClosed) return Promise.reject(new ClosedError('textlog backend is closed'));
    return this.#mutex.run(() => this.#flushNow());
  }

  /** The stored (or unflushed) event with `id`, or `null`. Scans span headers newest first. */
  getEvent(id: EventId): Promise<Event | null> {
    this.group.assertOpen('textlog backend');
    return this.#mutex.run(async () => (await findEvent(this.#store, id))?.event ?? null);
  }

  /**
   * Deletes the event with `id`: flushes, then rewrites its span file atomically without it.
   * Resolves `false` when there is no such event. The server's last id does not go back; the
   * latest of the event's type falls back to the newest remaining one.
   */
  deleteEvent(id: EventId): Promise<boolean> {
    this.group.assertOpen('textlog backend');
    return this.#mutex.run(async () => {
      await this.#flushNow();
      const found = await findEvent(this.#store, id);
      if (found === null) return false;
      const same = (e: Event) =>
        e.id.server === id.server && e.id.session === id.session && e.id.instance === id.instance;
      const dropped = await this.#store.rewrite(found.span, same);
      const key = typeKey(found.event);
      const latest = this.#state.latest.get(key);
      if (latest !== undefined && same(latest)) {
        const newest = await newestOfType(this.#store, found.event.type);
        if (newest === null) this.#state.latest.delete(key);
        else this.#state.latest.set(key, newest);
      }
      await this.#flushNow(true);
      return dropped.length > 0;
    });
  }

  /**
   * Theia's search, fixed: optional bounds (seconds, inclusive), `tags` that must all equal a
   * segment of the event type, `content` tested against the content text, either order. Reads
   * one span file at a time; unflushed events are included.
   */
  search(params: SearchParams = {}): AsyncGenerator<Event> {
    this.group.assertOpen('textlog backend');
    return searchEvents(this.#store, this.#mutex, params);
  }

  async #flushLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#config.flushPeriodMs, signal);
      if (signal.aborted) return;
      try {
        await this.#mutex.run(() => this.#flushNow());
      } catch (error) {
        this.#logger.error('flush failed; retried on the next one', { error });
      }
    }
  }

  /**
   * Writes the unflushed events, then the state file as it was when they were taken (so the
   * state never names an event that is not on disk), then reports the batches.
   */
  async #flushNow(force = false): Promise<void> {
    if (!force && this.#batches.length === 0 && !this.#store.hasPending) return;
    const batches = this.#batches;
    this.#batches = [];
    const snapshot: BackendState = {
      servers: new Map(this.#state.servers),
      latest: new Map(this.#state.latest),
      sizes: this.#state.sizes,
      // Shared like the sizes: may cover events registered since, which only widens them.
      stats: this.#state.stats,
    };
    try {
      await this.#store.flush();
      await writeState(this.#config.path, snapshot);
    } catch (error) {
      this.#batches = [...batches, ...this.#batches];
      const detail = error instanceof Error ? `: ${error.message}` : '';
      throw this.#health.failed(
        new EventumError('ERR_BACKEND', `textlog flush failed${detail}`, { cause: error }),
      );
    }
    this.#health.succeeded();
    for (const batch of batches) this.#onFlushed?.(batch);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
