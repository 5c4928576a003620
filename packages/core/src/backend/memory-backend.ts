import { ClosedError, invalidArgument } from '../errors.js';
import { GroupResource } from '../lifecycle/group-resource.js';
import { noopLogger } from '../log/logger.js';
import type { Logger } from '../log/logger.js';
import { Subscription } from '../matching/subscription.js';
import { compareEvents } from '../model/event.js';
import type { Event } from '../model/event.js';
import { compareEventIds } from '../model/event-id.js';
import type { EventId } from '../model/event-id.js';
import type {
  QueryLatestParams,
  QueryParams,
  QueryResult,
  QueryServerParams,
  QueryTimeseriesParams,
} from '../model/query.js';
import { compareTimestamps } from '../model/timestamp.js';
import { DEFAULT_MAX_RESULT_BYTES } from './backend.js';
import type { Backend, BackendContext, BackendPlugin } from './backend.js';
import { OrderedEvents } from './ordered-events.js';
import { boundedPage } from './page-budget.js';
import { firstIndex, timeseriesPage } from './timeseries.js';

/** Largest page a query returns, whatever `maxResults` asks (Hat's `timeseries_max_results`). */
export const DEFAULT_MAX_RESULTS = 4096;

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Cap on events per timeseries/server page (default {@link DEFAULT_MAX_RESULTS}). */
  readonly maxResults?: number;
}

/**
 * Creates the in-memory backend: the reference implementation of the backend contract. Nothing
 * survives `close()`; every event counts as persisted as soon as it is registered.
 */
export function createMemoryBackend(
  options: MemoryBackendOptions = {},
  context: Partial<BackendContext> = {},
): Promise<Backend> {
  const maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isSafeInteger(maxResults) || maxResults < 1) {
    throw invalidArgument(`maxResults must be a positive integer, got ${maxResults}`);
  }
  return Promise.resolve(new MemoryBackend(maxResults, context));
}

/** The configuration section of the memory backend (snake_case, as in the server file). */
export interface MemoryBackendConfig {
  readonly type: 'memory';
  readonly max_results?: number;
}

/** The memory backend as a plugin (`backend: {type: memory}` in the server configuration). */
export const memoryBackend: BackendPlugin<MemoryBackendConfig> = {
  type: 'memory',
  configSchema: {
    type: 'object',
    properties: {
      type: { const: 'memory' },
      max_results: { type: 'integer', minimum: 1, default: DEFAULT_MAX_RESULTS },
    },
    additionalProperties: false,
  },
  create: (config, context) =>
    createMemoryBackend({ maxResults: config.max_results ?? DEFAULT_MAX_RESULTS }, context),
};

class MemoryBackend extends GroupResource implements Backend {
  readonly #maxResults: number;
  readonly #maxResultBytes: number;
  readonly #logger: Logger;
  readonly #onRegistered: ((events: readonly Event[]) => void) | undefined;
  readonly #onFlushed: ((events: readonly Event[]) => void) | undefined;
  /** Every stored event by timestamp, and those with a source timestamp by that. */
  readonly #byTimestamp = new OrderedEvents((event) => event.timestamp);
  readonly #bySourceTimestamp = new OrderedEvents((event) => event.sourceTimestamp!);
  /** Per origin server, in ascending id order (ids are validated monotonic on register). */
  readonly #byServer = new Map<number, Event[]>();
  readonly #latest = new Map<string, Event>();

  constructor(maxResults: number, context: Partial<BackendContext>) {
    super();
    this.#maxResults = maxResults;
    this.#maxResultBytes = context.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.#logger = context.logger ?? noopLogger;
    this.#onRegistered = context.onRegistered;
    this.#onFlushed = context.onFlushed;
  }

  getLastEventId(serverId: number): Promise<EventId> {
    this.group.assertOpen('memory backend');
    const events = this.#byServer.get(serverId);
    const last = events?.[events.length - 1];
    return Promise.resolve(last?.id ?? { server: serverId, session: 0, instance: 0 });
  }

  register(events: readonly Event[]): Promise<readonly Event[] | null> {
    if (this.isClosed) return Promise.reject(new ClosedError('memory backend is closed'));
    const stored = events.filter((event) => this.#store(event));
    if (stored.length > 0) {
      this.#onRegistered?.(stored);
      this.#onFlushed?.(stored);
    }
    return Promise.resolve(stored);
  }

  // async so that bad parameters reject instead of throwing synchronously.
  // eslint-disable-next-line @typescript-eslint/require-await
  async query(params: QueryParams): Promise<QueryResult> {
    this.group.assertOpen('memory backend');
    switch (params.type) {
      case 'latest':
        return this.#queryLatest(params);
      case 'timeseries':
        return this.#queryTimeseries(params);
      case 'server':
        return this.#queryServer(params);
    }
  }

  flush(): Promise<void> {
    if (this.isClosed) return Promise.reject(new ClosedError('memory backend is closed'));
    return Promise.resolve();
  }

  /** Stores one event unless its id or timestamp goes backwards for its origin server. */
  #store(event: Event): boolean {
    let serverEvents = this.#byServer.get(event.id.server);
    const last = serverEvents?.[serverEvents.length - 1];
    if (last !== undefined && compareEventIds(event.id, last.id) <= 0) {
      this.#logger.warn('skipping event with stale id', { id: event.id });
      return false;
    }
    if (last !== undefined && compareTimestamps(event.timestamp, last.timestamp) < 0) {
      this.#logger.warn('skipping event with timestamp before its predecessor', { id: event.id });
      return false;
    }
    if (serverEvents === undefined) {
      serverEvents = [];
      this.#byServer.set(event.id.server, serverEvents);
    }
    serverEvents.push(event);
    this.#byTimestamp.insert(event);
    if (event.sourceTimestamp !== null) this.#bySourceTimestamp.insert(event);
    // JSON keeps ['a/b'] and ['a', 'b'] apart.
    const key = JSON.stringify(event.type);
    const previous = this.#latest.get(key);
    if (previous === undefined || compareEvents(previous, event) <= 0) this.#latest.set(key, event);
    return true;
  }

  #queryLatest(params: QueryLatestParams): QueryResult {
    const subscription = new Subscription(params.eventTypes ?? [['*']]);
    const events = [...this.#latest.values()].filter((e) => subscription.matches(e.type));
    return boundedPage(events, Infinity, this.#maxResultBytes);
  }

  #queryTimeseries(params: QueryTimeseriesParams): QueryResult {
    const descending = (params.order ?? 'descending') === 'descending';
    const candidates =
      (params.orderBy ?? 'timestamp') === 'timestamp'
        ? this.#byTimestamp.range(params.tFrom ?? null, params.tTo ?? null, descending)
        : this.#bySourceTimestamp.range(
            params.sourceTFrom ?? null,
            params.sourceTTo ?? null,
            descending,
          );
    return timeseriesPage(candidates, params, this.#maxResults, this.#maxResultBytes);
  }

  #queryServer(params: QueryServerParams): QueryResult {
    const after = params.lastEventId;
    if (after != null && after.server !== params.serverId) {
      throw invalidArgument(
        `lastEventId.server (${after.server}) differs from serverId (${params.serverId})`,
      );
    }
    const max = Math.min(params.maxResults ?? this.#maxResults, this.#maxResults);
    const events = this.#byServer.get(params.serverId) ?? [];
    const start = after == null ? 0 : firstIndex(events, (e) => compareEventIds(e.id, after) > 0);
    const newer = events.slice(start, start + Math.max(0, max) + 1);
    return boundedPage(newer, max, this.#maxResultBytes);
  }
}
