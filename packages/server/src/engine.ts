import {
  ClosedError,
  Durability,
  deferred,
  GroupResource,
  invalidArgument,
  toError,
} from '@eventum/core';
import type {
  Deferred,
  Event,
  Logger,
  QueryParams,
  QueryResult,
  RegisterEvent,
  Resource,
  Timestamp,
} from '@eventum/core';

import { raceAbort } from './abort.js';
import {
  answerOnceCommitted,
  engineStatusEvent,
  lastEventTimestamp,
  nextSessionTimestamp,
} from './engine-backend.js';
import { resolveEngineOptions } from './engine-options.js';
import type { EngineOptions, ResolvedEngineOptions } from './engine-options.js';
import { LogLimiter } from './log-limiter.js';
import { ModuleHandle, createModule } from './module-handle.js';
import type { EngineApi, Module } from './module.js';
import { RegisterQueue } from './register-queue.js';
import { SessionReservation } from './session-reservation.js';
import { registerEventProblem, runSession, sessionEvents } from './session.js';
import type { SessionContext, SessionModule } from './session.js';
import { SourceType, formatSource } from './source.js';
import type { Source } from './source.js';

/**
 * Hat's engine: turns registrations into sessions, strictly one at a time, lets the modules add
 * events to each session and stores every session with one `backend.register` call.
 *
 * Closing it fails queued registrations with `ERR_CLOSED`, and the one in progress too unless
 * its session already reached the backend (then it completes, so `STOPPED` always comes last);
 * a module call in progress is abandoned, not awaited. Then the modules close (reverse
 * configuration order) and a last session with the `STOPPED` event is stored, bypassing them.
 * The engine also closes when a module closes on its own, or when `backend.register` throws
 * (a broken backend contract: failures must be `null`).
 */
export interface Engine extends EngineApi, Resource {
  /** Registrations waiting for their session (queued or blocked on a full queue); a gauge. */
  readonly queueLength: number;
}

interface RegisterRequest {
  readonly source: Source;
  readonly events: readonly RegisterEvent[];
  readonly result: Deferred<readonly Event[] | null>;
}

const engineSource: Source = { type: SourceType.Engine, id: 0 };

/**
 * Creates an engine (Hat's `create_engine`): reads the last event id (and that event's
 * timestamp) from the backend, queues the `STARTED` registration (`['event', serverId, 'engine']`,
 * JSON `"STARTED"`, from `Source(engine, 0)`; it is session `last + 1` and modules process it),
 * creates the modules one by one in configuration order, starts the register loop and resolves
 * once the `STARTED` session is done (a failed `STARTED` session is only logged). So an engine
 * closed right after creation leaves exactly `STARTED` and `STOPPED` behind.
 *
 * Session timestamps come from `clock` and strictly increase: a reading at or before the previous
 * session's timestamp (including the last one stored before this engine) is replaced by that
 * timestamp plus one microsecond, so every session has its own timestamp even when sessions
 * follow each other within a microsecond or the wall clock steps back.
 * Session ids are reserved durably ahead of use ({@link SessionReservation}): after a crash the
 * engine starts above every id handed out before it. With a `committed` backend a registration
 * is answered only after a `backend.flush()` covering its session resolved; the next sessions
 * run meanwhile, so concurrent registrations share one commit.
 *
 * Throws `ERR_INVALID_ARGUMENT` for bad options. If a module's `create` fails (or a module closes
 * during creation), the modules created so far are closed, nothing is registered, and the error
 * is thrown, naming the module. A module must not await `engine.register` inside `create`, nor
 * while processing `STARTED`.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const resolved = resolveEngineOptions(options);
  const lastId = await resolved.backend.getLastEventId(resolved.serverId);
  const lastTimestamp = await lastEventTimestamp(resolved.backend, lastId, resolved.logger);
  const { reservation, lastSession } = await SessionReservation.load(
    resolved.backend,
    resolved.serverId,
    lastId.session,
    resolved.sessionReservation,
    resolved.logger,
  );
  const engine = new SessionEngine(resolved, reservation, lastSession, lastTimestamp);
  try {
    for (const [index, { info, config }] of resolved.modules.entries()) {
      const source: Source = { type: SourceType.Module, id: index };
      const module = await createModule(info, config, engine, source);
      engine.addModule(source, module);
    }
    await engine.start();
  } catch (error) {
    resolved.logger.error('engine creation failed', { error: toError(error).message });
    await engine.close(toError(error));
    throw error;
  }
  return engine;
}

class SessionEngine extends GroupResource implements Engine {
  readonly #options: ResolvedEngineOptions;
  readonly #logger: Logger;
  /** Clients can cause failed sessions at any rate: their lines are rate-limited. */
  readonly #limiter: LogLimiter;
  readonly #queue: RegisterQueue<RegisterRequest>;
  readonly #modules: SessionModule[] = [];
  readonly #reservation: SessionReservation;
  #lastSession: number;
  #lastTimestamp: Timestamp | undefined;
  #started = false;
  readonly #startedResult: Deferred<readonly Event[] | null>;

  constructor(
    options: ResolvedEngineOptions,
    reservation: SessionReservation,
    lastSession: number,
    lastTimestamp?: Timestamp,
  ) {
    super();
    this.#options = options;
    this.#reservation = reservation;
    this.#logger = options.logger;
    this.#limiter = new LogLimiter(options.logger);
    this.#queue = new RegisterQueue(options.registerQueueSize);
    this.#lastSession = lastSession;
    this.#lastTimestamp = lastTimestamp;
    this.group.signal.addEventListener('abort', () => this.#failQueued(), { once: true });
    this.group.onClose(() => this.#registerStopped().finally(() => this.#limiter.close()));
    this.#startedResult = this.#registerStarted();
  }

  get queueLength(): number {
    return this.#queue.length;
  }

  get serverId(): number {
    return this.#options.serverId;
  }

  /** Queues one session. Waits while the register queue is full. See {@link EngineApi.register}. */
  register(source: Source, events: readonly RegisterEvent[]): Promise<readonly Event[] | null> {
    try {
      this.group.assertOpen('engine');
      for (const event of events) {
        const problem = registerEventProblem(event, this.#options.maxEventSize);
        if (problem !== undefined) throw invalidArgument(`invalid register event: ${problem}`);
      }
    } catch (error) {
      return Promise.reject(toError(error));
    }
    if (events.length === 0) return Promise.resolve([]);
    // Not an async function, and no wait when the queue has room: a registration costs one
    // promise, not four (less garbage per request, docs/performance.md).
    const result = deferred<readonly Event[] | null>();
    const request = { source, events: [...events], result };
    if (this.#queue.tryPut(request)) return result.promise;
    return this.#queue.put(request).then(() => result.promise);
  }

  query(params: QueryParams): Promise<QueryResult> {
    return this.#options.backend.query(params);
  }

  getClientNames(): Iterable<readonly [Source, string]> {
    return this.#options.eventerServer?.getClientNames() ?? [];
  }

  restart(): void {
    if (this.#options.onRestart === undefined) {
      this.#logger.warn('restart requested, but no engine runner listens');
      return;
    }
    this.#options.onRestart();
  }

  /** Adopts a created module; it closes with the engine, and closing on its own closes it. */
  addModule(source: Source, module: Module): void {
    this.group.assertOpen('engine');
    this.group.adopt(new ModuleHandle(module, source, this.#logger), { critical: true });
    this.#modules.push({ source, module });
  }

  /** Starts the register loop (from now on closing registers `STOPPED`) and waits for the
   * `STARTED` session. Throws `ERR_CLOSED` if the engine closed first. */
  async start(): Promise<void> {
    this.group.assertOpen('engine');
    this.#started = true;
    this.group.spawn((signal) => this.#loop(signal));
    const events = await this.#startedResult.promise;
    if (events === null) this.#logger.warn('the STARTED session failed');
  }

  /** Queues `STARTED` first, before modules exist, so it is session `last + 1`. */
  #registerStarted(): Deferred<readonly Event[] | null> {
    const result = deferred<readonly Event[] | null>();
    const event = engineStatusEvent(this.serverId, 'STARTED');
    void this.#queue.put({ source: engineSource, events: [event], result });
    // Observed here too: if creation fails, nobody awaits it.
    result.promise.catch(() => undefined);
    return result;
  }

  async #loop(signal: AbortSignal): Promise<void> {
    // One context for every session (the module list only grows before the loop starts).
    const context: SessionContext = {
      modules: this.#modules,
      limits: {
        maxRounds: this.#options.maxSessionRounds,
        maxModuleEvents: this.#options.maxModuleEvents,
        maxEventSize: this.#options.maxEventSize,
      },
      logger: this.#logger,
      signal,
    };
    for (;;) {
      const request = this.#queue.tryTake() ?? (await this.#queue.take());
      if (request === undefined) return;
      try {
        await this.#runRequest(request, context);
      } catch (error) {
        request.result.reject(new ClosedError('engine is closed', { cause: error }));
        // A throwing backend broke its contract (failures are `null`): the engine closes.
        if (!signal.aborted) throw error;
      }
    }
  }

  /** Runs and stores one session; answers `request` when its durability allows (a committed
   * backend: after the flush covering it, while the next sessions run). */
  async #runRequest(request: RegisterRequest, context: SessionContext): Promise<void> {
    const signal = context.signal;
    const { sessionId, timestamp } = this.#nextSession();
    const reserving = this.#reservation.ensure(sessionId);
    if (reserving !== undefined) await reserving;
    const sessionRequest = { ...request, serverId: this.serverId, sessionId, timestamp };
    let events: Event[];
    try {
      // Without modules a session cannot fail or hang: no promise, no abort listener.
      events =
        context.modules.length === 0
          ? sessionEvents(sessionRequest)
          : await raceAbort(runSession(context, sessionRequest), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      const source = formatSource(request.source);
      const reason = { session: sessionId, source, error: toError(error).message };
      this.#warn('session failed; registration refused', reason);
      request.result.resolve(null);
      return;
    }
    signal.throwIfAborted();
    const stored = await this.#options.backend.register(events);
    if (stored === null) this.#warn('backend failed to register session', { sessionId });
    const answer = stored === null ? null : events.slice(0, request.events.length);
    if (answer === null || this.#options.backend.durability !== Durability.Committed) {
      request.result.resolve(answer);
      return;
    }
    const log = this.#warn.bind(this);
    void answerOnceCommitted(this.#options.backend, answer, log, sessionId).then((events) =>
      request.result.resolve(events),
    );
  }

  /** A failed registration's line, rate-limited per message. */
  #warn(message: string, fields: Record<string, unknown>): void {
    this.#limiter.log(this.#logger, 'warn', message, message, fields);
  }

  #nextSession(): { sessionId: number; timestamp: Timestamp } {
    this.#lastSession += 1;
    const now = this.#options.clock();
    const timestamp = nextSessionTimestamp(now, this.#lastTimestamp);
    this.#lastTimestamp = timestamp;
    return { sessionId: this.#lastSession, timestamp };
  }

  #failQueued(): void {
    for (const request of this.#queue.close()) {
      request.result.reject(new ClosedError('engine is closed'));
    }
  }

  async #registerStopped(): Promise<void> {
    if (!this.#started) return;
    const { sessionId, timestamp } = this.#nextSession();
    const { type, payload } = engineStatusEvent(this.serverId, 'STOPPED');
    const id = { server: this.serverId, session: sessionId, instance: 1 };
    const event: Event = { id, type, timestamp, sourceTimestamp: null, payload };
    try {
      await this.#reservation.ensure(sessionId);
      const stored = await this.#options.backend.register([event]);
      if (stored === null) this.#logger.warn('backend refused the STOPPED event');
      await this.#reservation.release(sessionId);
    } catch (error) {
      this.#logger.warn('cannot register the STOPPED event', { error: toError(error).message });
    }
  }
}
