import type { Conditions, EventCondition, EventType, Subscription } from '@eventum/core';

import type { Partition } from './schema.js';

/** Where events of one type go, computed once per type. */
export interface TypeRoute {
  /** The type's latest key (`JSON.stringify(type)`), or null when `latest` does not keep it. */
  readonly latestKey: string | null;
  /** Partitions whose subscription matches the type. */
  readonly partitions: readonly Partition[];
  readonly conditions: readonly EventCondition[];
}

/** Most types whose route is remembered; past it, the cache starts over. */
const CACHE_SIZE = 65_536;

/** Routes event types to the latest table, the partitions and the conditions. */
export class TypeRouter {
  readonly #latest: Subscription;
  readonly #partitions: readonly Partition[];
  readonly #conditions: Conditions;
  readonly #cache = new Map<string, TypeRoute>();

  constructor(latest: Subscription, partitions: readonly Partition[], conditions: Conditions) {
    this.#latest = latest;
    this.#partitions = partitions;
    this.#conditions = conditions;
  }

  route(type: EventType): TypeRoute {
    const key = JSON.stringify(type);
    let route = this.#cache.get(key);
    if (route === undefined) {
      route = {
        latestKey: this.#latest.matches(type) ? key : null,
        partitions: this.#partitions.filter((p) => p.subscription.matches(type)),
        conditions: this.#conditions.forType(type),
      };
      if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
      this.#cache.set(key, route);
    }
    return route;
  }
}
