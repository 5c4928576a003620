import { Subscription } from '../matching/subscription.js';
import type { EventType } from '../model/event-type.js';
import type { OrderBy } from '../model/status.js';

/** What partition selection needs to know of a partition. */
export interface SelectablePartition {
  readonly orderBy: OrderBy;
  readonly subscription: Subscription;
}

/** Python's order of query types (tuples of strings): element-wise, a prefix first. */
export function compareTypes(a: EventType, b: EventType): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Selections remembered per (order, query types); queries tend to repeat. */
const CACHE_SIZE = 256;

/**
 * Chooses the partitions that answer a timeseries query (fixing Hat's "first compatible
 * partition"). Candidates have the query's `orderBy` and share at least one event type with it.
 *
 * 1. If some candidates *cover* the query (every type the query matches, they store), the answer
 *    is one of them: the narrowest (no other covering candidate is strictly inside it), the first
 *    in configuration order among equally narrow ones.
 * 2. Otherwise the answer is the union of the candidates, leaving out any candidate another one
 *    covers (same or wider subscription, earlier for equal ones); the query merges them in key
 *    order and drops duplicates (an event stored in several of them).
 */
export class PartitionSelector<Partition extends SelectablePartition> {
  readonly #partitions: readonly Partition[];
  readonly #cache = new Map<string, readonly Partition[]>();

  constructor(partitions: readonly Partition[]) {
    this.#partitions = partitions;
  }

  select(orderBy: OrderBy, eventTypes: readonly EventType[] | null): readonly Partition[] {
    const query = eventTypes === null ? Subscription.all : new Subscription(eventTypes);
    const cacheKey = `${orderBy}:${typesKey(query)}`;
    let selected = this.#cache.get(cacheKey);
    if (selected === undefined) {
      selected = this.#compute(orderBy, query);
      if (this.#cache.size >= CACHE_SIZE) this.#cache.clear();
      this.#cache.set(cacheKey, selected);
    }
    return selected;
  }

  #compute(orderBy: OrderBy, query: Subscription): readonly Partition[] {
    const candidates = this.#partitions.filter(
      (p) => p.orderBy === orderBy && !p.subscription.isDisjoint(query),
    );
    const covering = candidates.filter((p) => covers(p.subscription, query));
    if (covering.length > 0) {
      const narrowest = covering.find((p) => !covering.some((q) => strictlyInside(q, p)));
      return narrowest === undefined ? [] : [narrowest];
    }
    return candidates.filter(
      (p, i) =>
        !candidates.some(
          (q, j) =>
            q !== p &&
            covers(q.subscription, p.subscription) &&
            (j < i || !covers(p.subscription, q.subscription)),
        ),
    );
  }
}

/** True when every event type `inner` matches, `outer` matches too. */
export function covers(outer: Subscription, inner: Subscription): boolean {
  return typesKey(inner.intersection(outer)) === typesKey(inner);
}

function strictlyInside(q: SelectablePartition, p: SelectablePartition): boolean {
  return (
    q !== p && covers(p.subscription, q.subscription) && !covers(q.subscription, p.subscription)
  );
}

function typesKey(subscription: Subscription): string {
  return JSON.stringify(subscription.getQueryTypes().sort(compareTypes));
}
