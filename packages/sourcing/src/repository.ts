import { throwIfAborted } from './abort.js';
import type { AbortOptions } from './abort.js';
import type { Aggregate, AggregateClass } from './aggregate.js';
import { LruCache, copyAggregate, restore } from './aggregate-state.js';
import type { Decider } from './decider.js';
import { AggregateNotFoundError } from './errors.js';
import type { Event } from './events.js';
import type { EventStore } from './event-store.js';
import type { SnapshotStore } from './snapshots.js';

/** Options of {@link Repository.get}; `signal` cancels the load (`ERR_ABORTED`). */
export interface GetOptions extends AbortOptions {
  /** Load the aggregate as it was at this version (time travel); the cache is bypassed. */
  readonly version?: number;
}

/** A decider's state at a version. */
export interface DeciderState<S> {
  readonly state: S;
  /** 0 when the stream has no events. */
  readonly version: number;
}

/**
 * Loads aggregates: newest snapshot (if a snapshot store is set) at or below the asked
 * version, then the events after it. With a cache, the newest version of an aggregate is kept
 * and fast-forwarded with the events stored since; callers always get a copy of it.
 */
export class Repository {
  readonly #store: EventStore;
  readonly #snapshots: SnapshotStore | undefined;
  readonly #cache: LruCache<Aggregate> | undefined;

  constructor(store: EventStore, snapshots: SnapshotStore | undefined, cacheMaxSize?: number) {
    this.#store = store;
    this.#snapshots = snapshots;
    this.#cache = cacheMaxSize === undefined ? undefined : new LruCache(cacheMaxSize);
  }

  /** The aggregate `id` of class `cls`; `AggregateNotFoundError` (`ERR_NOT_FOUND`) when it has no
   * events (at that version). */
  async get<A extends Aggregate>(
    cls: AggregateClass<A>,
    id: string,
    options: GetOptions = {},
  ): Promise<A> {
    const { version, signal } = options;
    throwIfAborted(`loading ${id}`, signal);
    const cached = version === undefined ? this.#cache?.get(`${cls.name}:${id}`) : undefined;
    const aggregate =
      cached instanceof cls
        ? copyAggregate(cached)
        : await this.#fromSnapshot(cls, id, version, signal);
    const events = await this.#store.get(id, {
      gt: aggregate.version,
      ...(version === undefined ? {} : { lte: version }),
      signal,
    });
    throwIfAborted(`loading ${id}`, signal);
    for (const event of events) aggregate.mutate(event);
    if (aggregate.version === 0 || (version !== undefined && aggregate.version !== version)) {
      throw new AggregateNotFoundError(id, version);
    }
    if (version === undefined) this.#cache?.set(`${cls.name}:${id}`, copyAggregate(aggregate));
    return aggregate;
  }

  /** True when aggregate `id` has at least one event. */
  async contains(id: string): Promise<boolean> {
    return (await this.#store.head(id)) > 0;
  }

  /** Forgets the cached copy (after a failed save). */
  evict(cls: AggregateClass, id: string): void {
    this.#cache?.delete(`${cls.name}:${id}`);
  }

  /** The state of decider stream `id` (at `version`), folded from snapshot and events. */
  async load<S, C, E extends Event>(
    decider: Decider<S, C, E>,
    id: string,
    options: GetOptions = {},
  ): Promise<DeciderState<S>> {
    const { version, signal } = options;
    throwIfAborted(`loading ${id}`, signal);
    const snapshot = await this.#snapshots?.latest<S>(id, decider, version, signal);
    let state = snapshot?.state ?? decider.initialState();
    const events = await this.#store.get<E>(id, {
      gt: snapshot?.version ?? 0,
      ...(version === undefined ? {} : { lte: version }),
      signal,
    });
    throwIfAborted(`loading ${id}`, signal);
    for (const event of events) state = decider.evolve(state, event);
    return { state, version: events.at(-1)?.meta.originatorVersion ?? snapshot?.version ?? 0 };
  }

  async #fromSnapshot<A extends Aggregate>(
    cls: AggregateClass<A>,
    id: string,
    version: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<A> {
    const snapshot = await this.#snapshots?.latest<Record<string, unknown>>(
      id,
      cls,
      version,
      signal,
    );
    if (snapshot === undefined) return new cls(id);
    return restore(cls, id, snapshot.state, snapshot);
  }
}
