import { EventTypeCollection } from '@eventum/core';
import type { Conditions, EventCondition, EventType, Subscription } from '@eventum/core';

import type { Partition } from './partitions.js';

/** Where events of one type go, computed once per type. */
export interface TypeRoute {
  /** The type's identity as a string (`JSON.stringify(type)`: keeps `['a/b']` and `['a','b']` apart). */
  readonly key: string;
  /** True when `latest.subscriptions` matches the type. */
  readonly latest: boolean;
  /** Partitions whose subscription matches the type, in configuration order. */
  readonly partitions: readonly Partition[];
  /** Content conditions an event of the type must satisfy. */
  readonly conditions: readonly EventCondition[];
}

/**
 * Routes event types to the latest store, partitions and conditions, with a bounded cache
 * (`timeseries_event_type_cache_size`; when full, the oldest half of the entries is dropped).
 */
export class TypeRouter {
  readonly #latest: Subscription;
  readonly #partitions: EventTypeCollection<Partition>;
  readonly #order: readonly Partition[];
  readonly #conditions: Conditions;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, TypeRoute>();
  /** Routes of shared type arrays, by identity: decoded types are frozen and shared (see
   * EventTypeCache), so most events skip building the string key. */
  readonly #byArray = new WeakMap<EventType, TypeRoute>();

  constructor(
    latest: Subscription,
    partitions: readonly Partition[],
    conditions: Conditions,
    cacheSize: number,
  ) {
    this.#latest = latest;
    this.#order = partitions;
    this.#partitions = new EventTypeCollection(partitions.map((p) => [p.subscription, p]));
    this.#conditions = conditions;
    this.#cacheSize = Math.max(1, cacheSize);
  }

  route(type: EventType): TypeRoute {
    const shared = this.#byArray.get(type);
    if (shared !== undefined) return shared;
    const route = this.#routeByKey(type);
    // A WeakMap entry costs more than a lookup by key: only for arrays that will come again.
    if (Object.isFrozen(type)) this.#byArray.set(type, route);
    return route;
  }

  #routeByKey(type: EventType): TypeRoute {
    const key = JSON.stringify(type);
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const matching = this.#partitions.get(type);
    const route: TypeRoute = {
      key,
      latest: this.#latest.matches(type),
      partitions: this.#order.filter((p) => matching.has(p)),
      conditions: this.#conditions.forType(type),
    };
    if (this.#cache.size >= this.#cacheSize) this.#evict();
    this.#cache.set(key, route);
    return route;
  }

  #evict(): void {
    let drop = Math.ceil(this.#cache.size / 2);
    for (const key of this.#cache.keys()) {
      if (drop-- <= 0) break;
      this.#cache.delete(key);
    }
  }
}
