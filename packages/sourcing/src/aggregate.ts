import { invalidArgument } from '@eventum/core';

import { makeMeta } from './events.js';
import type { CausalMeta, DataOf, Event, Recorded } from './events.js';

type Applier = (this: Aggregate, data: unknown) => void;

/** Per aggregate class: event type → the decorated method that applies it. */
const appliers = new WeakMap<object, Map<string, Applier>>();

function findApplier(instance: Aggregate, type: string): Applier | undefined {
  for (let ctor: unknown = instance.constructor; typeof ctor === 'function';) {
    const found = appliers.get(ctor)?.get(type);
    if (found !== undefined) return found;
    ctor = Object.getPrototypeOf(ctor);
  }
  return undefined;
}

/** Marks the call that replays a stored event: the decorated method must only apply it. */
let replaying = false;

/**
 * The base of class-style aggregates. Command methods validate, then record events with
 * {@link Aggregate.trigger} or by calling a method decorated with {@link event}. Recording applies
 * the event at once (a throwing applier leaves the aggregate unchanged and records nothing) and
 * queues it until {@link Aggregate.collectEvents}.
 *
 * Subclasses need a constructor taking only the id: the repository builds an empty instance
 * with it and replays the stored events.
 */
export abstract class Aggregate<E extends Event = Event> {
  readonly id: string;
  #version = 0;
  #createdOn: Date | undefined;
  #modifiedOn: Date | undefined;
  #pending: Recorded<E>[] = [];
  /** Correlation/causation given to the events recorded next (see `Application.update`). */
  causal: CausalMeta | undefined;

  constructor(id: string) {
    if (typeof id !== 'string' || id.length === 0)
      throw invalidArgument('aggregate id must be a non-empty string');
    this.id = id;
  }

  /** The version of the last applied event (0 before the first). */
  get version(): number {
    return this.#version;
  }

  get createdOn(): Date | undefined {
    return this.#createdOn;
  }

  get modifiedOn(): Date | undefined {
    return this.#modifiedOn;
  }

  /** The events recorded since the last `collectEvents`, oldest first. */
  get pendingEvents(): readonly Recorded<E>[] {
    return this.#pending;
  }

  /** Removes and returns the recorded events (the repository saves them). */
  collectEvents(): Recorded<E>[] {
    const events = this.#pending;
    this.#pending = [];
    return events;
  }

  /** Records an event of type `type` with `data`: applies it, then queues it. */
  protected trigger<T extends E['type']>(type: T, data: DataOf<E, T>): void {
    const meta = makeMeta(this.id, this.#version + 1, this.causal);
    const recorded = { type, data, meta } as unknown as Recorded<E>;
    this.mutate(recorded);
    this.#pending.push(recorded);
  }

  /**
   * Applies a recorded event: checks it is this aggregate's next event, applies it, then moves
   * the version on. Throws `ERR_INVALID_ARGUMENT` for another originator or version.
   */
  mutate(event: Recorded<E>): void {
    const { originatorId, originatorVersion, timestamp } = event.meta;
    if (originatorId !== this.id)
      throw invalidArgument(`event of ${originatorId} applied to ${this.id}`);
    if (originatorVersion !== this.#version + 1) {
      throw invalidArgument(
        `event version ${originatorVersion} applied to ${this.id} at version ${this.#version}`,
      );
    }
    this.apply(event);
    this.#version = originatorVersion;
    this.#createdOn ??= timestamp;
    this.#modifiedOn = timestamp;
  }

  /**
   * Changes state for one event. The default calls the method decorated with `@event(type)`;
   * subclasses that do not use the decorator override it (a `switch` on `event.type`).
   */
  protected apply(event: E): void {
    const applier = findApplier(this, event.type);
    if (applier === undefined)
      throw invalidArgument(`${this.constructor.name} has no applier for event type ${event.type}`);
    replaying = true;
    try {
      applier.call(this, event.data);
    } finally {
      replaying = false;
    }
  }

  /** Restores the position fields (snapshots and cache copies). */
  restorePosition(
    version: number,
    createdOn: Date | undefined,
    modifiedOn: Date | undefined,
  ): void {
    this.#version = version;
    this.#createdOn = createdOn;
    this.#modifiedOn = modifiedOn;
  }
}

/** The event union of an aggregate class. */
export type EventsOf<A> = A extends Aggregate<infer E> ? E : never;

/**
 * Declarative recording (the Python library's `@event`): calling the decorated method records an
 * event of `type` whose data is the method's one argument; the method body is the applier, run
 * now and again on every replay. Put validation in a command method that calls it.
 *
 * ```ts
 * @event('Deposited') protected deposited(data: { amount: bigint }) { this.balance += data.amount; }
 * ```
 */
export function event<T extends string>(type: T) {
  return function decorate<
    A extends Aggregate,
    D extends DataOf<EventsOf<A>, T & EventsOf<A>['type']>,
  >(
    method: (this: A, data: D) => void,
    context: ClassMethodDecoratorContext<A, (this: A, data: D) => void>,
  ): (this: A, data: D) => void {
    if (context.static || context.private)
      throw invalidArgument('@event decorates public or protected instance methods');
    context.addInitializer(function (this: A) {
      register(this.constructor, type, method as Applier);
    });
    return function record(this: A, data: D): void {
      if (replaying) {
        method.call(this, data);
        return;
      }
      (this as unknown as { trigger(type: string, data: unknown): void }).trigger(type, data);
    };
  };
}

function register(ctor: object, type: string, method: Applier): void {
  let map = appliers.get(ctor);
  if (map === undefined) appliers.set(ctor, (map = new Map<string, Applier>()));
  if (!map.has(type)) map.set(type, method);
}

/** A class of aggregates the repository can instantiate. */
export interface AggregateClass<A extends Aggregate = Aggregate> {
  new (id: string): A;
  readonly name: string;
  /** Version of the snapshot state this class writes (default 1). */
  readonly snapshotVersion?: number;
  /** Snapshot-state upcasters: `upcastSnapshot[n]` turns version-n state into version n+1. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly upcastSnapshot?: Readonly<Record<number, (state: any) => Record<string, unknown>>>;
}
