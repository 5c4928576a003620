import type { Aggregate, AggregateClass } from './aggregate.js';

/** Fields that are not the aggregate's state. */
const POSITION_FIELDS = new Set(['id', 'causal']);

/** The snapshot state of a class aggregate: its own enumerable fields except `id`. Private
 * `#fields` are not part of it. */
export function stateOf(aggregate: Aggregate): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(aggregate)) {
    if (!POSITION_FIELDS.has(key)) state[key] = value;
  }
  return state;
}

/** A new instance of `cls` with `state` and position. */
export function restore<A extends Aggregate>(
  cls: AggregateClass<A>,
  id: string,
  state: Record<string, unknown>,
  position: { version: number; createdOn: Date | undefined; modifiedOn: Date | undefined },
): A {
  const aggregate = new cls(id);
  Object.assign(aggregate, state);
  aggregate.restorePosition(position.version, position.createdOn, position.modifiedOn);
  return aggregate;
}

/** A deep copy (structured clone of the state), so a failed command cannot change the original. */
export function copyAggregate<A extends Aggregate>(aggregate: A): A {
  const cls = aggregate.constructor as AggregateClass<A>;
  return restore(cls, aggregate.id, structuredClone(stateOf(aggregate)), {
    version: aggregate.version,
    createdOn: aggregate.createdOn,
    modifiedOn: aggregate.modifiedOn,
  });
}

/** A least-recently-used map bounded to `maxSize` entries (unbounded when `maxSize` ≤ 0). */
export class LruCache<V> {
  readonly #map = new Map<string, V>();
  readonly #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#maxSize > 0 && this.#map.size > this.#maxSize) {
      this.#map.delete(this.#map.keys().next().value!);
    }
  }

  delete(key: string): void {
    this.#map.delete(key);
  }
}
