import {
  ClosedError,
  DEFAULT_MAX_RESULT_BYTES,
  FlushScheduler,
  GroupResource,
  Trigger,
  boundedPage,
  noopLogger,
  notifyFlushed,
  toError,
} from '@eventum/core';
import type {
  Backend,
  BackendContext,
  Conditions,
  Durability,
  Event,
  EventId,
  Logger,
  QueryParams,
  QueryResult,
} from '@eventum/core';

import { CLEANUP_MAX_ENTRIES } from './cleanup.js';
import type { ResolvedLmdbConfig } from './config.js';
import { backendError, closeEnvironment } from './environment.js';
import type { LmdbEnvironment } from './environment.js';
import { u64Key } from './keys.js';
import type { LatestIndex } from './latest.js';
import { Op, OpsWriter } from './ops.js';
import { packGeneration } from './pack.js';
import { PartitionSelector } from '@eventum/core';
import type { Partition } from './partitions.js';
import { stageEvent } from './register.js';
import type { StagingContext } from './register.js';
import type { TypeRouter } from './routes.js';
import { queryServer } from './server-query.js';
import { Generation } from './staging.js';
import type { ServerState } from './system.js';
import { queryTimeseries } from './timeseries-query.js';
import type { LmdbWriter } from './writer.js';

/** What start-up loaded from the file. */
export interface LoadedState {
  readonly servers: Map<number, ServerState>;
  /** Reserved session ceilings per server (SYSTEM_RESERVED_SESSION). */
  readonly reservedSessions: Map<number, number>;
  readonly partitions: readonly Partition[];
  /** Stored partitions no longer configured (the cleanup empties them). */
  readonly orphans: readonly number[];
  readonly latest: LatestIndex;
  readonly router: TypeRouter;
  readonly conditions: Conditions;
}

/**
 * The LMDB backend. Registration stages events in memory (synchronously visible to queries);
 * a flush loop writes each generation in one transaction every `flush_period` (sooner once
 * `flush_count` events wait, and on close), then calls `onFlushed`; past `max_registered_count`
 * waiting events, registration waits for the flush in progress. A cleanup loop applies the
 * partitions' retention limits. Every write transaction runs on the writer thread, one at a
 * time, so the event loop never waits for LMDB's B-tree work or fsync. `durability` tells the
 * engine whether to answer registrations only after a `flush()` (group commit: every `flush()`
 * made while a flush runs joins the next one); see docs/operations/durability.md.
 */
export class LmdbBackend extends GroupResource implements Backend {
  readonly #env: LmdbEnvironment;
  readonly #config: ResolvedLmdbConfig;
  readonly #state: LoadedState;
  readonly #staging: StagingContext;
  readonly #selector: PartitionSelector<Partition>;
  readonly #writer: LmdbWriter;
  readonly #logger: Logger;
  readonly #onRegistered: ((events: readonly Event[]) => void) | undefined;
  readonly #onFlushed: ((events: readonly Event[]) => void) | undefined;
  /** Bytes of encoded events a query result may hold. */
  readonly #maxResultBytes: number;
  #generation = new Generation();
  #sequence = 0;
  #flushing: Generation | null = null;
  readonly #flusher: FlushScheduler;

  constructor(
    env: LmdbEnvironment,
    config: ResolvedLmdbConfig,
    state: LoadedState,
    writer: LmdbWriter,
    context: Partial<BackendContext>,
  ) {
    super();
    this.#env = env;
    this.#writer = writer;
    this.#config = config;
    this.#state = state;
    this.#logger = context.logger ?? noopLogger;
    this.#flusher = new FlushScheduler({
      periodMs: config.flushPeriodMs,
      logger: this.#logger,
      write: () => this.#writeGenerations(),
      failureFields: () => ({ waiting: this.#flushing?.count }),
    });
    this.#onRegistered = context.onRegistered;
    this.#onFlushed = context.onFlushed;
    this.#maxResultBytes = context.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.#staging = { ...state, logger: this.#logger };
    this.#selector = new PartitionSelector(state.partitions);
    this.group.spawn((signal) => this.#flusher.run(signal));
    this.group.spawn((signal) => this.#cleanupLoop(signal));
    this.group.onClose(() => this.#shutdown());
    void writer.failed.then((reason) => {
      if (!this.isClosed) void this.close(reason);
    });
  }

  get durability(): Durability {
    return this.#config.durability;
  }

  getReservedSession(serverId: number): Promise<number> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    return Promise.resolve(this.#state.reservedSessions.get(serverId) ?? 0);
  }

  /** Writes the ceiling in its own transaction on the writer thread (after earlier writes). */
  async reserveSessions(serverId: number, session: number): Promise<void> {
    if (this.isClosed) throw this.#closedError();
    const ops = new OpsWriter(this.#writer.pool);
    ops.add(Op.Put, 'SYSTEM_RESERVED_SESSION', u64Key(serverId), u64Key(session));
    try {
      await this.#writer.write(ops.finish());
    } catch (error) {
      throw backendError('LMDB session reservation failed', error);
    }
    this.#state.reservedSessions.set(serverId, session);
  }

  getLastEventId(serverId: number): Promise<EventId> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    const state = this.#state.servers.get(serverId);
    return Promise.resolve(state?.lastId ?? { server: serverId, session: 0, instance: 0 });
  }

  register(events: readonly Event[]): Promise<readonly Event[] | null> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    // Failing storage (e.g. a full disk): refuse rather than pile up unwritable events.
    if (this.#flusher.health.refuse()) return Promise.resolve(null);
    const generation = this.#generation;
    const stored: Event[] = [];
    for (const event of events) {
      if (stageEvent(this.#staging, event, generation, this.#sequence)) stored.push(event);
    }
    if (stored.length > 0) {
      generation.batches.push(stored);
      this.#onRegistered?.(stored);
    }
    if (generation.count >= this.#config.flushCount) this.#flusher.fire();
    if (generation.count <= this.#config.maxRegisteredCount) return Promise.resolve(stored);
    // Back-pressure: past the bound, wait for the flush in progress (the next one is triggered).
    this.#flusher.fire();
    return this.#flusher.done.then(() => stored);
  }

  // async so that bad parameters reject instead of throwing synchronously.
  // eslint-disable-next-line @typescript-eslint/require-await
  async query(params: QueryParams): Promise<QueryResult> {
    if (this.isClosed) throw this.#closedError();
    const generations =
      this.#flushing === null ? [this.#generation] : [this.#flushing, this.#generation];
    try {
      switch (params.type) {
        case 'latest':
          return boundedPage(
            this.#state.latest.query(params.eventTypes ?? null),
            Infinity,
            this.#maxResultBytes,
          );
        case 'timeseries':
          return queryTimeseries(
            {
              env: this.#env,
              selector: this.#selector,
              conditions: this.#state.conditions,
              generations,
              maxResults: this.#config.maxResults,
              maxResultBytes: this.#maxResultBytes,
            },
            params,
          );
        case 'server':
          return queryServer(
            this.#env,
            generations,
            params,
            this.#config.maxResults,
            this.#maxResultBytes,
          );
      }
    } catch (error) {
      throw backendError('LMDB query failed', error);
    }
  }

  flush(): Promise<void> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    return this.#flusher.request();
  }

  async #cleanupLoop(signal: AbortSignal): Promise<void> {
    const { partitions, orphans } = this.#state;
    if (orphans.length === 0 && partitions.every((p) => p.limit === null)) return;
    const pause = new Trigger();
    while (!signal.aborted) {
      const removed = await this.#writer.cleanup(CLEANUP_MAX_ENTRIES).catch((error: unknown) => {
        this.#logger.warn('cleanup failed; retried later', { error: toError(error).message });
        return 0;
      });
      if (removed > 0) {
        this.#env.root.resetReadTxn();
        this.#logger.debug('cleanup removed entries', { removed });
      }
      if (removed < CLEANUP_MAX_ENTRIES) await pause.wait(this.#config.cleanupPeriodMs, signal);
    }
  }

  /**
   * Writes the generation whose write failed before (if any), then the current one. A failure
   * keeps the generation staged (still visible to queries) for the next flush to retry.
   */
  async #writeGenerations(): Promise<void> {
    try {
      if (this.#flushing !== null) await this.#writeFlushing();
      if (this.#generation.count > 0) {
        this.#flushing = this.#generation;
        this.#generation = new Generation();
        this.#sequence++;
        this.#state.latest.settle(this.#flushing);
        await this.#writeFlushing();
      }
    } catch (error) {
      throw backendError('LMDB flush failed', error);
    }
  }

  async #writeFlushing(): Promise<void> {
    const generation = this.#flushing as Generation;
    const log = await packGeneration(generation, this.#state.servers, this.#writer.pool);
    await this.#writer.write(log);
    // The writer thread committed: this thread's reads must see it before the staged copy goes.
    this.#env.root.resetReadTxn();
    this.#flushing = null;
    notifyFlushed(generation.batches, this.#onFlushed, this.#logger);
  }

  /**
   * Close: final flush (its failure fails pending `flush()` calls), then the writer thread, then
   * this thread's environment.
   */
  async #shutdown(): Promise<void> {
    await this.#flusher.flushNow();
    const lost = (this.#flushing?.count ?? 0) + this.#generation.count;
    const failure = this.#flusher.health.failure;
    if (failure !== null) {
      this.#logger.error('final flush failed: events not stored', {
        error: failure.message,
        events: lost,
      });
    }
    this.#flusher.rejectWaiting(this.#closedError());
    await this.#writer.close();
    await closeEnvironment(this.#env);
  }

  #closedError(cause?: Error): ClosedError {
    return new ClosedError('LMDB backend is closed', { cause: cause ?? this.group.reason });
  }
}
