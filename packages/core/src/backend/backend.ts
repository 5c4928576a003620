import { DEFAULT_MAX_EVENT_SIZE } from '../codec/limits.js';
import type { Resource } from '../lifecycle/resource.js';
import type { Logger } from '../log/logger.js';
import type { Event } from '../model/event.js';
import type { EventId } from '../model/event-id.js';
import type { QueryParams, QueryResult } from '../model/query.js';

/**
 * Storage of events. One writer (the engine, or a syncer) calls `register`; queries may run
 * concurrently. Durability is two signals: `register` resolves once the events are stored in
 * memory and visible to queries (and `onRegistered` was called); `onFlushed` is called later,
 * in registration order, once they are persisted.
 */
export interface Backend extends Resource {
  /** The greatest stored id of `serverId`, or `{server: serverId, session: 0, instance: 0}`. */
  getLastEventId(serverId: number): Promise<EventId>;
  /**
   * Stores `events` (one engine session, ids ascending). Resolves with the events actually
   * stored (events the backend skips, e.g. stale ids, are left out) or `null` on failure.
   * Throws `ERR_CLOSED` when closed.
   */
  register(events: readonly Event[]): Promise<readonly Event[] | null>;
  /** Answers a query. Bad parameters throw `ERR_INVALID_ARGUMENT`; never kills the backend. */
  query(params: QueryParams): Promise<QueryResult>;
  /** Persists everything registered so far; resolves after the matching `onFlushed` calls. */
  flush(): Promise<void>;
}

/** What a backend factory receives besides its own configuration. */
export interface BackendContext {
  readonly logger: Logger;
  /** Called synchronously inside `register` with the stored events. */
  readonly onRegistered?: (events: readonly Event[]) => void;
  /** Called when stored events are persisted, once per registered batch, in order. */
  readonly onFlushed?: (events: readonly Event[]) => void;
  /**
   * Bytes of encoded events a query result may hold (default {@link DEFAULT_MAX_RESULT_BYTES}),
   * so it fits one frame: timeseries and server pages stop there with `moreFollows`, and a
   * latest result is cut there with `moreFollows` (see `PageBudget` for an oversized event).
   */
  readonly maxResultBytes?: number;
}

/** Result byte budget with the default 64 MiB frames: `eventBudget(DEFAULT_MAX_FRAME_SIZE)`. */
export const DEFAULT_MAX_RESULT_BYTES = DEFAULT_MAX_EVENT_SIZE;

/**
 * A pluggable backend (Hat's `BackendInfo`): a name, the JSON Schema of its configuration
 * section and an async factory. The configuration passed to `create` has been validated
 * against `configSchema`.
 */
export interface BackendPlugin<C = unknown> {
  readonly type: string;
  readonly configSchema: Record<string, unknown>;
  create(config: C, context: BackendContext): Promise<Backend>;
  /**
   * The file or directory a backend built from `config` owns (absolute paths are resolved by
   * the caller), for backends that keep their data in local files. The server takes an
   * exclusive lock on it before `create`, so a second server on the same storage refuses to
   * start (`ERR_LOCKED`). Absent for backends whose storage can be shared (memory, a database).
   */
  storagePath?(config: C): string;
}
