import type { EventType } from '../model/event-type.js';
import type { Subscription } from './subscription.js';

/** A prefix-tree node; `?` is an ordinary key of `children`. */
interface Node<T> {
  readonly parent: Node<T> | null;
  /** This node's key in `parent.children`. */
  readonly segment: string;
  /** Values whose query type ends here. */
  readonly values: Set<T>;
  /** Values whose query type ends with `*` here (they match any remainder, including none). */
  readonly starValues: Set<T>;
  readonly children: Map<string, Node<T>>;
}

/**
 * A multimap from subscriptions to values, answering "which values' subscriptions match this
 * event type?" (Hat's `EventTypeCollection`). All query types of all subscriptions share one
 * prefix tree, so a lookup costs the nodes on the event type's paths (its length times the `?`
 * branching), not the number of subscriptions.
 *
 * Values are compared like `Set` members (`SameValueZero`: objects by identity). A value may be
 * added with several subscriptions; it then matches the union of them. Results of
 * {@link EventTypeCollection.get} are fresh sets, so the collection may change while one is
 * being iterated.
 */
export class EventTypeCollection<T> {
  readonly #root: Node<T> = createNode<T>(null, '');
  /** Every node each value is registered at, for {@link EventTypeCollection.remove}. */
  readonly #nodesByValue = new Map<T, Set<Node<T>>>();

  /** Adds every `[subscription, value]` pair, as {@link EventTypeCollection.add} does. */
  constructor(items: Iterable<readonly [Subscription, T]> = []) {
    for (const [subscription, value] of items) this.add(subscription, value);
  }

  /**
   * Registers `value` for every query type of `subscription` (sanitised). Adding the same pair
   * again changes nothing; an empty subscription registers nothing. Unlike Hat's Python tree,
   * a value already present at one node does not stop the remaining query types being added.
   */
  add(subscription: Subscription, value: T): void {
    const nodes = this.#nodesByValue.get(value) ?? new Set<Node<T>>();
    for (const queryType of subscription.getQueryTypes()) {
      const star = queryType[queryType.length - 1] === '*';
      const node = this.#nodeFor(queryType, star ? queryType.length - 1 : queryType.length);
      (star ? node.starValues : node.values).add(value);
      nodes.add(node);
    }
    if (nodes.size > 0) this.#nodesByValue.set(value, nodes);
  }

  /** Removes every registration of `value`; unknown values are ignored. Prunes empty nodes. */
  remove(value: T): void {
    const nodes = this.#nodesByValue.get(value);
    if (nodes === undefined) return;
    this.#nodesByValue.delete(value);
    for (const node of nodes) {
      node.values.delete(value);
      node.starValues.delete(value);
      prune(node);
    }
  }

  /** True when `value` is registered with a non-empty subscription. */
  has(value: T): boolean {
    return this.#nodesByValue.has(value);
  }

  /**
   * The values with a subscription matching `eventType`, each once, in no promised order. The
   * set is fresh: changing the collection later does not change it.
   */
  get(eventType: EventType): ReadonlySet<T> {
    const out = new Set<T>();
    collectMatches(this.#root, eventType, 0, out);
    return out;
  }

  #nodeFor(queryType: EventType, length: number): Node<T> {
    let node = this.#root;
    for (let i = 0; i < length; i++) {
      const segment = queryType[i] ?? '';
      let child = node.children.get(segment);
      if (child === undefined) {
        child = createNode(node, segment);
        node.children.set(segment, child);
      }
      node = child;
    }
    return node;
  }
}

function createNode<T>(parent: Node<T> | null, segment: string): Node<T> {
  return {
    parent,
    segment,
    values: new Set(),
    starValues: new Set(),
    children: new Map(),
  };
}

/** Detaches `node` and then its ancestors while they hold no values and no children. */
function prune<T>(node: Node<T>): void {
  let current: Node<T> = node;
  while (
    current.parent !== null &&
    current.values.size === 0 &&
    current.starValues.size === 0 &&
    current.children.size === 0
  ) {
    current.parent.children.delete(current.segment);
    current = current.parent;
  }
}

function collectMatches<T>(node: Node<T>, type: EventType, index: number, out: Set<T>): void {
  // The size checks spare an iterator allocation on the (many) nodes without values.
  if (node.starValues.size > 0) for (const value of node.starValues) out.add(value);
  if (index === type.length) {
    if (node.values.size > 0) for (const value of node.values) out.add(value);
    return;
  }
  if (node.children.size === 0) return;
  const segment = type[index];
  if (segment === undefined) return;
  const exact = node.children.get(segment);
  if (exact !== undefined) collectMatches(exact, type, index + 1, out);
  const any = node.children.get('?');
  if (any !== undefined && any !== exact) collectMatches(any, type, index + 1, out);
}
