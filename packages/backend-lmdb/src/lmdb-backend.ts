import { ClosedError, ResourceGroup, deferred, noopLogger, timestampNow, toError } from '@eventum/core';
import type {
  Backend,
  BackendContext,
  Deferred,
  Event,
  EventId,
  Logger,
  QueryParams,
  QueryResult,
} from '@eventum/core';

import { cleanupPass } from './cleanup.js';
import type { Conditions } from './conditions.js';
import type { ResolvedLmdbConfig } from './config.js';
import { backendError, closeEnvironment } from './environment.js';
import type { LmdbEnvironment } from './environment.js';
import { writeGeneration } from './flush.js';
import type { LatestIndex } from './latest.js';
import { PartitionSelector } from './partition-selection.js';
import type { Partition } from './partitions.js';
import { stageEvent } from './register.js';
import type { StagingContext } from './register.js';
import type { TypeRouter } from './routes.js';
import { queryServer } from './server-query.js';
import { Generation } from './staging.js';
import type { ServerState } from './system.js';
import { queryTimeseries } from './timeseries-query.js';
import { Trigger } from './trigger.js';

/** What start-up loaded from the file. */
export interface LoadedState {
  readonly servers: Map<number, ServerState>;
  readonly partitions: readonly Partition[];
  readonly latest: LatestIndex;
  readonly router: TypeRouter;
  readonly conditions: Conditions;
}

/**
 * The LMDB backend. Registration stages events in memory (synchronously visible to queries);
 * a flush loop writes each generation in one transaction every `flush_period` (sooner past
 * `max_registered_count` waiting events, and on close), then calls `onFlushed`. A cleanup loop
 * applies the partitions' retention limits. Writes (flush, cleanup) are serialised.
 */
export class LmdbBackend implements Backend {
  readonly #group = new ResourceGroup();
  readonly #env: LmdbEnvironment;
  readonly #config: ResolvedLmdbConfig;
  readonly #state: LoadedState;
  readonly #staging: StagingContext;
  readonly #selector: PartitionSelector;
  readonly #partitionsById: Map<number, Partition>;
  readonly #logger: Logger;
  readonly #onRegistered: ((events: readonly Event[]) => void) | undefined;
  readonly #onFlushed: ((events: readonly Event[]) => void) | undefined;
  readonly #flushTrigger = new Trigger();
  #generation = new Generation();
  #sequence = 0;
  #flushing: Generation | null = null;
  #flushWaiters: Deferred<void>[] = [];
  #writeLock: Promise<unknown> = Promise.resolve();

  constructor(
    env: LmdbEnvironment,
    config: ResolvedLmdbConfig,
    state: LoadedState,
    context: Partial<BackendContext>,
  ) {
    this.#env = env;
    this.#config = config;
    this.#state = state;
    this.#logger = context.logger ?? noopLogger;
    this.#onRegistered = context.onRegistered;
    this.#onFlushed = context.onFlushed;
    this.#staging = { ...state, logger: this.#logger };
    this.#selector = new PartitionSelector(state.partitions);
    this.#partitionsById = new Map(state.partitions.map((p) => [p.id, p]));
    this.#group.spawn((signal) => this.#flushLoop(signal));
    this.#group.spawn((signal) => this.#cleanupLoop(signal));
    this.#group.onClose(() => this.#shutdown());
  }

  get isClosed(): boolean {
    return this.#group.isClosed;
  }

  get closed(): Promise<Error | undefined> {
    return this.#group.closed;
  }

  close(reason?: Error): Promise<void> {
    return this.#group.close(reason);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  getLastEventId(serverId: number): Promise<EventId> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    const state = this.#state.servers.get(serverId);
    return Promise.resolve(state?.lastId ?? { server: serverId, session: 0, instance: 0 });
  }

  register(events: readonly Event[]): Promise<readonly Event[] | null> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    const generation = this.#generation;
    const stored: Event[] = [];
    for (const event of events) {
      if (stageEvent(this.#staging, event, generation, this.#sequence)) stored.push(event);
    }
    if (stored.length > 0) {
      generation.batches.push(stored);
      this.#onRegistered?.(stored);
    }
    if (generation.count > this.#config.maxRegisteredCount) this.#flushTrigger.fire();
    return Promise.resolve(stored);
  }

  // async so that bad parameters reject instead of throwing synchronously.
  // eslint-disable-next-line @typescript-eslint/require-await
  async query(params: QueryParams): Promise<QueryResult> {
    if (this.isClosed) throw this.#closedError();
    const generations = this.#flushing === null ? [this.#generation] : [this.#flushing, this.#generation];
    try {
      switch (params.type) {
        case 'latest':
          return { events: this.#state.latest.query(params.eventTypes ?? null), moreFollows: false };
        case 'timeseries':
          return queryTimeseries(
            {
              env: this.#env,
              selector: this.#selector,
              conditions: this.#state.conditions,
              generations,
              maxResults: this.#config.maxResults,
            },
            params,
          );
        case 'server':
          return queryServer(this.#env, generations, params, this.#config.maxResults);
      }
    } catch (error) {
      throw backendError('LMDB query failed', error);
    }
  }

  flush(): Promise<void> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    const waiter = deferred<void>();
    this.#flushWaiters.push(waiter);
    this.#flushTrigger.fire();
    return waiter.promise;
  }

  async #flushLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.#flushTrigger.wait(this.#config.flushPeriodMs, signal);
      if (signal.aborted) return;
      await this.#exclusive(() => this.#flush());
    }
  }

  async #cleanupLoop(signal: AbortSignal): Promise<void> {
    const limited = this.#state.partitions.filter((p) => p.limit !== null);
    if (limited.length === 0) return;
    const pause = new Trigger();
    while (!signal.aborted) {
      const removed = await this.#exclusive(() => cleanupPass(this.#env, limited, timestampNow()));
      if (removed > 0) this.#logger.debug('cleanup removed entries', { removed });
      if (removed < 1024) await pause.wait(this.#config.cleanupPeriodMs, signal);
    }
  }

  /** Writes the current generation (if any) and calls `onFlushed` for its batches. */
  async #flush(): Promise<void> {
    const waiters = this.#flushWaiters;
    this.#flushWaiters = [];
    const generation = this.#generation;
    if (generation.count > 0) {
      this.#flushing = generation;
      this.#generation = new Generation();
      this.#sequence++;
      try {
        const deltas = await writeGeneration(this.#env, generation, this.#state.servers, this.#partitionsById);
        for (const [partition, delta] of deltas) {
          partition.count += delta.count;
          partition.size += delta.size;
        }
      } catch (error) {
        for (const waiter of waiters) waiter.reject(this.#closedError(toError(error)));
        throw backendError('LMDB flush failed', error);
      } finally {
        this.#flushing = null;
      }
      this.#notifyFlushed(generation.batches);
    }
    for (const waiter of waiters) waiter.resolve();
  }

  #notifyFlushed(batches: readonly (readonly Event[])[]): void {
    if (this.#onFlushed === undefined) return;
    for (const batch of batches) {
      try {
        this.#onFlushed(batch);
      } catch (error) {
        this.#logger.error('onFlushed callback failed', { error: toError(error).message });
      }
    }
  }

  /** Runs `write` after every earlier write has finished (flushes and cleanups never overlap). */
  #exclusive<T>(write: () => Promise<T>): Promise<T> {
    const run = this.#writeLock.then(write);
    this.#writeLock = run.catch(() => undefined);
    return run;
  }

  /** Close: final flush (its failure fails pending `flush()` calls), then the environment. */
  async #shutdown(): Promise<void> {
    try {
      await this.#exclusive(() => this.#flush());
    } catch (error) {
      this.#logger.error('final flush failed', { error: toError(error).message });
    }
    const reason = this.#closedError();
    for (const waiter of this.#flushWaiters.splice(0)) waiter.reject(reason);
    await closeEnvironment(this.#env);
  }

  #closedError(cause?: Error): ClosedError {
    return new ClosedError('LMDB backend is closed', { cause: cause ?? this.#group.reason });
  }
}
