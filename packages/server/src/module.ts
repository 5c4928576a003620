import type { Event, QueryParams, QueryResult, RegisterEvent, Subscription } from '@eventum/core';

import type { Source } from './source.js';

/**
 * What `Module.process` may return: events to add to the current session, as an array or any
 * (async) iterable such as a generator, possibly behind a promise; nothing (`null`, `undefined`, no return value) for none.
 */
export type ProcessResult =
  | Iterable<RegisterEvent>
  | AsyncIterable<RegisterEvent>
  | Promise<Iterable<RegisterEvent> | AsyncIterable<RegisterEvent> | null | undefined | void>
  | null
  | undefined
  | void;

/**
 * An engine plug-in (Hat's `Module`). A simple module is a plain object with `subscription` and
 * `process`; a long-lived one (timers, connections) is a `Resource`, which already fits: the
 * engine calls `close()` when it closes, and when `closed` settles on its own the engine closes
 * too (Hat: "a module closing on its own closes the engine").
 *
 * Ordering: every call happens inside the engine's single register loop, one at a time. In each
 * session: `onSessionStart` of every module (config order), then `process` calls in breadth-first
 * rounds, then `onSessionStop` of every module. A module must never await `engine.register` from
 * one of these calls: the loop would wait for itself. Start such work without awaiting it.
 *
 * Errors: a throw (or rejection) from any of these calls fails the current registration (the
 * caller gets `null`, an eventer client a failure reply); it is logged and the engine carries on.
 */
export interface Module {
  /** Event types this module's `process` sees. Read on every event; keep it constant. */
  readonly subscription: Subscription;
  /**
   * Called for each session event matching `subscription`. `source` is who produced it: the
   * requester for request events, `Source(module, i)` for module output. Returned events join
   * the same session (same session id and timestamp) and go through the next round.
   */
  process(source: Source, event: Event): ProcessResult;
  /** Called at the start of every session, before any `process` call of that session. */
  onSessionStart?(sessionId: number): void | Promise<void>;
  /** Called at the end of every session, before the session's events reach the backend. */
  onSessionStop?(sessionId: number): void | Promise<void>;
  /** Called once when the engine closes (after its last session). Errors are logged. */
  close?(): void | Promise<void>;
  /** When present and it settles before the engine closes it, the engine closes (reason: the
   * value, if it is an `Error`). A `Resource`'s `closed` fits. */
  readonly closed?: Promise<unknown>;
}

/**
 * The engine as seen by modules (Hat's `common.Engine`). Full power, no sandbox: a module may
 * query, register new sessions under its own source, list clients and restart the engine.
 */
export interface EngineApi {
  /** This server's id: the first element of every event id it creates. */
  readonly serverId: number;
  /**
   * Registers `events` as one new session, processed by the modules, and resolves with the events
   * created from them (same order and count; module output is not included), or `null` if the
   * session failed (a module threw, a limit was hit, or the backend returned `null`). `[]` for an
   * empty list. Throws `ERR_CLOSED` if the engine is closed or closes before the session ran,
   * and `ERR_INVALID_ARGUMENT` for a malformed event or one over the limits (`maxEventSize`,
   * `MAX_PAYLOAD_DEPTH`); an event over the limits returned by a module fails the session.
   */
  register(source: Source, events: readonly RegisterEvent[]): Promise<readonly Event[] | null>;
  /** Queries the backend directly (no session). */
  query(params: QueryParams): Promise<QueryResult>;
  /** `[Source(eventer, connectionId), clientName]` of every connected eventer client. */
  getClientNames(): Iterable<readonly [Source, string]>;
  /** Asks the engine runner to close this engine and start a new one. Returns at once. */
  restart(): void;
}

/**
 * What a module file or package exports as `info` (Hat's `ModuleInfo`). `config` is the module's
 * section of the server configuration, already validated against `configSchema` (if given) by
 * the caller; `source` is `Source(module, i)`, `i` its index in the configuration.
 * `create` runs once per engine, i.e. again after every restart, in configuration order.
 */
export interface ModuleInfo<C = unknown> {
  create(config: C, engine: EngineApi, source: Source): Module | Promise<Module>;
  /** JSON Schema of the module's configuration section. */
  readonly configSchema?: Record<string, unknown>;
}
