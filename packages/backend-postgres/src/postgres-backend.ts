import {
  ClosedError,
  DEFAULT_MAX_RESULT_BYTES,
  FlushScheduler,
  GroupResource,
  PartitionSelector,
  compareEventIds,
  noopLogger,
  notifyFlushed,
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
  Subscription,
} from '@eventum/core';
import type pg from 'pg';

import { cleanupLoop } from './cleanup.js';
import type { ResolvedPostgresConfig } from './config.js';
import { backendError } from './errors.js';
import type { OtherServers } from './other-servers.js';
import { queryLatest, queryServer } from './queries.js';
import { withConnection } from './rows.js';
import type { QueryView } from './rows.js';
import type { TypeRouter } from './routes.js';
import type { Partition } from './schema.js';
import { stageEvent } from './register.js';
import { Generation } from './staging.js';
import type { ServerState } from './staging.js';
import { queryTimeseries } from './timeseries-query.js';
import { writeGeneration, writeStatements } from './write.js';
import type { WriteStatements } from './write.js';

/** What start-up prepared. */
export interface PostgresState {
  readonly pool: pg.Pool;
  /** The quoted schema. */
  readonly t: string;
  readonly partitions: readonly Partition[];
  readonly servers: Map<number, ServerState>;
  readonly router: TypeRouter;
  readonly conditions: Conditions;
  readonly latest: Subscription;
  /** Follows other servers' events, when `notify_other_servers`. */
  readonly others: OtherServers | null;
  /** `NOTIFY` channel and this backend's origin id, when `notify_other_servers`. */
  readonly notify: { readonly channel: string; readonly origin: string } | null;
}

/**
 * The PostgreSQL backend. Registration stages events in memory (visible to queries at once); a
 * flush loop writes each generation in one transaction every `flush_period` (sooner once
 * `flush_count` events wait, and on close), then calls `onFlushed`. A failed flush (the database
 * is down) keeps the generation, retries it every `flush_period` and refuses registrations
 * (`register` resolves `null`) until a flush succeeds; the pool opens new connections by itself.
 * Queries read the tables and the staged events. Other servers' events stored in the same schema
 * reach `onRegistered`/`onFlushed` through {@link OtherServers}.
 */
export class PostgresBackend extends GroupResource implements Backend {
  readonly #config: ResolvedPostgresConfig;
  readonly #state: PostgresState;
  readonly #sql: WriteStatements;
  readonly #selector: PartitionSelector<Partition>;
  readonly #logger: Logger;
  readonly #onRegistered: ((events: readonly Event[]) => void) | undefined;
  readonly #onFlushed: ((events: readonly Event[]) => void) | undefined;
  readonly #maxResultBytes: number;
  readonly #flusher: FlushScheduler;
  #generation = new Generation();
  #flushing: Generation | null = null;

  constructor(
    config: ResolvedPostgresConfig,
    state: PostgresState,
    context: Partial<BackendContext>,
  ) {
    super();
    this.#config = config;
    this.#state = state;
    this.#sql = writeStatements(state.t);
    this.#selector = new PartitionSelector(state.partitions);
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
    this.group.spawn((signal) => this.#flusher.run(signal));
    this.group.spawn((signal) =>
      cleanupLoop(
        state.pool,
        state.t,
        state.partitions,
        config.cleanupPeriodMs,
        this.#logger,
        signal,
      ),
    );
    this.group.onClose(() => this.#shutdown());
  }

  get durability(): Durability {
    return this.#config.durability;
  }

  async getReservedSession(serverId: number): Promise<number> {
    const rows = await this.#query<{ reserved_session: string }>(
      `SELECT reserved_session FROM ${this.#state.t}.servers WHERE server_id = $1`,
      [serverId],
    );
    return Number(rows[0]?.reserved_session ?? 0);
  }

  async reserveSessions(serverId: number, session: number): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#state.t}.servers (server_id, reserved_session) VALUES ($1, $2)
        ON CONFLICT (server_id) DO UPDATE SET reserved_session = EXCLUDED.reserved_session`,
      [serverId, session],
    );
  }

  /** The greater of the stored last id (another server may have stored it) and the staged one. */
  async getLastEventId(serverId: number): Promise<EventId> {
    const rows = await this.#query<{ session_id: string; instance_id: string }>(
      `SELECT session_id, instance_id FROM ${this.#state.t}.servers WHERE server_id = $1`,
      [serverId],
    );
    const row = rows[0];
    const stored = {
      server: serverId,
      session: Number(row?.session_id ?? 0),
      instance: Number(row?.instance_id ?? 0),
    };
    const staged = this.#state.servers.get(serverId)?.lastId;
    return staged !== undefined && compareEventIds(staged, stored) > 0 ? staged : stored;
  }

  register(events: readonly Event[]): Promise<readonly Event[] | null> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    // Unreachable database: refuse rather than pile up events nobody can write.
    if (this.#flusher.health.refuse()) return Promise.resolve(null);
    const generation = this.#generation;
    const stored = events.filter((event) =>
      stageEvent(this.#state, this.#logger, event, generation),
    );
    if (stored.length > 0) {
      generation.batches.push(stored);
      this.#onRegistered?.(stored);
    }
    if (generation.count >= this.#config.flushCount) this.#flusher.fire();
    if (generation.count <= this.#config.maxRegisteredCount) return Promise.resolve(stored);
    this.#flusher.fire();
    return this.#flusher.done.then(() => stored);
  }

  async query(params: QueryParams): Promise<QueryResult> {
    if (this.isClosed) throw this.#closedError();
    const view: QueryView = {
      pool: this.#state.pool,
      t: this.#state.t,
      generations:
        this.#flushing === null ? [this.#generation] : [this.#flushing, this.#generation],
      maxResults: this.#config.maxResults,
      maxResultBytes: this.#maxResultBytes,
    };
    try {
      switch (params.type) {
        case 'latest':
          return await queryLatest(view, this.#state, params);
        case 'timeseries':
          return await queryTimeseries(
            view,
            { selector: this.#selector, conditions: this.#state.conditions },
            params,
          );
        case 'server':
          return await queryServer(view, params);
      }
    } catch (error) {
      throw backendError('PostgreSQL query failed', error);
    }
  }

  flush(): Promise<void> {
    if (this.isClosed) return Promise.reject(this.#closedError());
    return this.#flusher.request();
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
        await this.#writeFlushing();
      }
    } catch (error) {
      throw backendError('PostgreSQL flush failed', error);
    }
  }

  async #writeFlushing(): Promise<void> {
    const generation = this.#flushing!;
    await withConnection(this.#state.pool, (client) =>
      writeGeneration(client, this.#sql, generation, this.#state.notify),
    );
    this.#flushing = null;
    for (const [server, state] of generation.servers)
      this.#state.others?.stored(server, state.lastId);
    notifyFlushed(generation.batches, this.#onFlushed, this.#logger);
  }

  async #query<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    if (this.isClosed) throw this.#closedError();
    try {
      return (await this.#state.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw backendError('PostgreSQL query failed', error);
    }
  }

  /** Close: final flush (its failure fails pending `flush()` calls), then the listener, then
   * the pool. */
  async #shutdown(): Promise<void> {
    await this.#flusher.flushNow();
    const failure = this.#flusher.health.failure;
    if (failure !== null) {
      this.#logger.error('final flush failed: events not stored', {
        error: failure.message,
        events: (this.#flushing?.count ?? 0) + this.#generation.count,
      });
    }
    this.#flusher.rejectWaiting(this.#closedError());
    await this.#state.others?.close();
    await this.#state.pool.end().catch(() => undefined);
  }

  #closedError(cause?: Error): ClosedError {
    return new ClosedError('PostgreSQL backend is closed', { cause: cause ?? this.group.reason });
  }
}
