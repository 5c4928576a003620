import { throwIfAborted } from './abort.js';
import type { AbortOptions } from './abort.js';
import { GroupResource, invalidArgument, noopLogger } from '@eventum/core';
import type { Logger, Recorders, Tracking } from '@eventum/core';

import type { Aggregate, AggregateClass } from './aggregate.js';
import { stateOf } from './aggregate-state.js';
import { decisions } from './decider.js';
import type { Decider } from './decider.js';
import { ConflictError } from './errors.js';
import type { CausalMeta, Event, Recorded } from './events.js';
import { EventStore } from './event-store.js';
import type { AppendResult, ExpectedVersion } from './event-store.js';
import { Mapper } from './mapper.js';
import type { MapperOptions } from './mapper.js';
import { DEFAULT_SECTION_SIZE, NotificationLog } from './notification-log.js';
import { Repository } from './repository.js';
import type { DeciderState, GetOptions } from './repository.js';
import { SnapshotStore } from './snapshots.js';

/** Default number of retries of a command that lost an optimistic-concurrency race. */
export const DEFAULT_COMMAND_RETRIES = 3;

/** What an application is made of. */
export interface ApplicationOptions {
  /** Names the application (table prefix on PostgreSQL, tracking name for followers). */
  readonly name: string;
  /** The recorders; the application owns them and closes them with itself. */
  readonly recorders: Recorders;
  readonly mapper?: MapperOptions;
  /** Snapshot every `n`th version of the aggregate class / decider with this name. */
  readonly snapshotIntervals?: Readonly<Record<string, number>>;
  /** Cache aggregates (0 = unbounded, n > 0 = the n most recently used); no cache when absent. */
  readonly cacheMaxSize?: number;
  readonly logSectionSize?: number;
  readonly commandRetries?: number;
  readonly logger?: Logger;
}

/**
 * Options of the command handlers. `signal` cancels the loads and the retries: the handler
 * rejects with `ERR_ABORTED` before its next step; a write already under way is never
 * abandoned (its outcome would be unknown), so an abort during it takes effect after it.
 */
export interface CommandOptions extends AbortOptions {
  /** Retries after `ERR_CONFLICT` (default {@link DEFAULT_COMMAND_RETRIES}). */
  readonly retries?: number;
  readonly causal?: CausalMeta;
}

/** Options of {@link Application.handle}. */
export interface HandleOptions extends CommandOptions {
  /** Fail fast unless the stream is at this version (no retry then); default: the version read. */
  readonly expectedVersion?: ExpectedVersion;
}

/**
 * An event-sourced application: aggregates (class style) and deciders (functional style) on one
 * event store, with a repository, optional snapshots and cache, and a notification log.
 * `save` is atomic across every aggregate it is given: all their events are stored in one
 * transaction, or none. Snapshots are taken after the save, best effort.
 */
export class Application extends GroupResource {
  readonly name: string;
  readonly events: EventStore;
  readonly repository: Repository;
  readonly log: NotificationLog;
  readonly snapshots: SnapshotStore | undefined;
  readonly #intervals: Readonly<Record<string, number>>;
  readonly #retries: number;
  readonly #logger: Logger;

  constructor(options: ApplicationOptions) {
    super();
    this.name = options.name;
    this.group.adopt(options.recorders);
    const mapper = new Mapper(options.mapper);
    this.events = new EventStore(mapper, options.recorders.events);
    this.#intervals = options.snapshotIntervals ?? {};
    const snapshotting = Object.keys(this.#intervals).length > 0;
    this.snapshots = snapshotting
      ? new SnapshotStore(mapper, options.recorders.snapshots)
      : undefined;
    this.repository = new Repository(this.events, this.snapshots, options.cacheMaxSize);
    this.log = new NotificationLog(
      options.recorders.events,
      options.logSectionSize ?? DEFAULT_SECTION_SIZE,
    );
    this.#retries = options.commandRetries ?? DEFAULT_COMMAND_RETRIES;
    this.#logger = options.logger ?? noopLogger;
  }

  /** Stores the pending events of every aggregate in one transaction; resolves with their
   * notification ids. On `ERR_CONFLICT` nothing is stored and the events stay collected. */
  save(...aggregates: Aggregate[]): Promise<number[]> {
    return this.saveWith({}, ...aggregates);
  }

  /** `save` with a tracking record written in the same transaction (process applications). */
  async saveWith(
    options: { readonly tracking?: Tracking },
    ...aggregates: Aggregate[]
  ): Promise<number[]> {
    this.group.assertOpen(`application ${this.name}`);
    const pending = aggregates.map((a) => [...a.pendingEvents] as Recorded[]);
    const ids = await this.events.put(pending.length === 1 ? pending[0]! : pending.flat(), options);
    for (const a of aggregates) a.collectEvents();
    // Without snapshots there is nothing to await (each await is a turn of the microtask queue).
    if (this.snapshots !== undefined) await this.#snapshotAggregates(aggregates, pending);
    return ids;
  }

  get<A extends Aggregate>(cls: AggregateClass<A>, id: string, options?: GetOptions): Promise<A> {
    this.group.assertOpen(`application ${this.name}`);
    return this.repository.get(cls, id, options);
  }

  /**
   * The class-style command handler: loads the aggregate, runs `command` on it, saves it;
   * after `ERR_CONFLICT` it loads again and re-runs the command, up to `retries` times.
   */
  async update<A extends Aggregate, R>(
    cls: AggregateClass<A>,
    id: string,
    command: (aggregate: A) => R | Promise<R>,
    options: CommandOptions = {},
  ): Promise<R> {
    const { signal } = options;
    for (let attempt = 0; ; attempt++) {
      const aggregate = await this.get(cls, id, { signal });
      if (options.causal) aggregate.causal = options.causal;
      const result = await command(aggregate);
      throwIfAborted(`command on ${id}`, signal);
      try {
        await this.save(aggregate);
        return result;
      } catch (error) {
        this.repository.evict(cls, id);
        if (!(error instanceof ConflictError) || attempt >= (options.retries ?? this.#retries))
          throw error;
      }
    }
  }

  /** The functional command handler: folds stream `id`, decides, appends what was decided with
   * the version read as expected version; retries on `ERR_CONFLICT` unless `expectedVersion`
   * was given. */
  async handle<S, C, E extends Event>(
    decider: Decider<S, C, E>,
    id: string,
    command: C,
    options: HandleOptions = {},
  ): Promise<AppendResult & { readonly state: S }> {
    this.group.assertOpen(`application ${this.name}`);
    const retries = options.expectedVersion === undefined ? (options.retries ?? this.#retries) : 0;
    const { signal } = options;
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.repository.load(decider, id, { signal });
      const events = decisions(decider.decide(command, state));
      throwIfAborted(`command on ${id}`, signal);
      try {
        const result = await this.events.append(id, events, {
          expectedVersion: options.expectedVersion ?? version,
          ...(options.causal ? { causal: options.causal } : {}),
        });
        const next = events.reduce((s, e) => decider.evolve(s, e), state);
        await this.#snapshotDecider(decider, id, version, result.nextExpectedVersion, next);
        return { ...result, state: next };
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= retries) throw error;
      }
    }
  }

  /** The state of a decider stream (at `version`). */
  load<S, C, E extends Event>(
    decider: Decider<S, C, E>,
    id: string,
    options?: GetOptions,
  ): Promise<DeciderState<S>> {
    this.group.assertOpen(`application ${this.name}`);
    return this.repository.load(decider, id, options);
  }

  /** Takes a snapshot of aggregate `id` at `version` (default: newest) now. */
  async takeSnapshot(cls: AggregateClass, id: string, version?: number): Promise<void> {
    if (this.snapshots === undefined)
      throw invalidArgument(`application ${this.name} has no snapshot intervals`);
    const aggregate = await this.repository.get(cls, id, version === undefined ? {} : { version });
    await this.snapshots.put(
      {
        originatorId: id,
        version: aggregate.version,
        kind: cls.name,
        state: stateOf(aggregate),
        createdOn: aggregate.createdOn,
        modifiedOn: aggregate.modifiedOn,
      },
      cls,
    );
  }

  async #snapshotAggregates(
    aggregates: readonly Aggregate[],
    pending: readonly Recorded[][],
  ): Promise<void> {
    for (const [i, aggregate] of aggregates.entries()) {
      const cls = aggregate.constructor as AggregateClass;
      const due = dueVersion(
        this.#intervals[cls.name],
        pending[i]!.map((e) => e.meta.originatorVersion),
      );
      if (due !== undefined)
        await this.#bestEffort(() => this.takeSnapshot(cls, aggregate.id, due));
    }
  }

  async #snapshotDecider<S, C, E extends Event>(
    decider: Decider<S, C, E>,
    id: string,
    from: number,
    to: number,
    state: S,
  ): Promise<void> {
    const interval = this.#intervals[decider.name];
    const versions = Array.from({ length: to - from }, (_, i) => from + i + 1);
    const due = dueVersion(interval, versions);
    if (due === undefined || this.snapshots === undefined) return;
    const at =
      due === to
        ? { state, version: to }
        : await this.repository.load(decider, id, { version: due });
    const snapshot = {
      originatorId: id,
      version: at.version,
      kind: decider.name,
      state: at.state,
      createdOn: undefined,
      modifiedOn: undefined,
    };
    await this.#bestEffort(() => this.snapshots!.put(snapshot, decider));
  }

  async #bestEffort(take: () => Promise<void>): Promise<void> {
    try {
      await take();
    } catch (error) {
      this.#logger.warn(`application ${this.name}: snapshot failed`, { error: String(error) });
    }
  }
}

/** The greatest of `versions` that is a multiple of `interval`. */
function dueVersion(interval: number | undefined, versions: readonly number[]): number | undefined {
  if (interval === undefined || interval < 1) return undefined;
  return versions.filter((v) => v % interval === 0).at(-1);
}
