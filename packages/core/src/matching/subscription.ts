import { validateQueryType } from '../model/event-type.js';
import type { EventType } from '../model/event-type.js';

/**
 * A prefix-tree node. `star` means a query type ends with `*` here: the node matches any
 * remainder, including none, so a star node keeps no `leaf` flag and no children. `?` is an
 * ordinary key of `children`. Nodes are never changed once their subscription is built, so
 * subscriptions share subtrees freely. Only a root may be empty (no leaf, star or children).
 */
interface Node {
  leaf: boolean;
  star: boolean;
  readonly children: Map<string, Node>;
}

/**
 * An immutable set of query types, stored as a prefix tree, answering "does this event type
 * match any of them?" in time bounded by the event type's length and the tree's `?` branching,
 * never by the number of query types.
 *
 * Construction sanitises like Hat: a `*` covers everything below it (`[a/*, a, a/b]` keeps only
 * `a/*`) and duplicates go, but, as in Hat, `?` is not merged with literal siblings (`a/?` and
 * `a/b` both stay). Two differences from Hat: every query type is validated, even one a `*`
 * already covers; and a `*` also matches the empty remainder in
 * {@link Subscription.intersection}, so `(*) ∩ ()` is `{()}` and `(a/*) ∩ (a)` is `{(a)}`.
 */
export class Subscription {
  /** Matches every event type, including `[]`. */
  static readonly all: Subscription = new Subscription([['*']]);
  /** Matches no event type. */
  static readonly empty: Subscription = new Subscription([]);

  #root: Node;

  /**
   * Builds the tree from query types (validated first: throws `ERR_INVALID_ARGUMENT`, naming the
   * type, if `*` is not the last segment). An empty list gives a subscription matching nothing;
   * `[[]]` matches only the empty type.
   */
  constructor(queryTypes: Iterable<EventType> = []) {
    const types = [...queryTypes];
    for (const type of types) validateQueryType(type);
    this.#root = emptyNode();
    for (const type of types) insert(this.#root, type);
  }

  /** True when nothing matches. */
  get isEmpty(): boolean {
    return isEmptyNode(this.#root);
  }

  /**
   * The sanitised query types, in a deterministic order (depth first, keys in insertion order).
   * Returns fresh arrays; `new Subscription(s.getQueryTypes())` matches the same types as `s`.
   */
  getQueryTypes(): EventType[] {
    const out: EventType[] = [];
    collect(this.#root, [], out);
    return out;
  }

  /** True when `eventType` matches any query type. Allocates nothing. */
  matches(eventType: EventType): boolean {
    return matchFrom(this.#root, eventType, 0);
  }

  /** The event types matching this or any of `others`. Shares structure with the inputs. */
  union(...others: Subscription[]): Subscription {
    let root = this.#root;
    for (const other of others) root = unite(root, other.#root);
    return Subscription.#fromRoot(root);
  }

  /** The event types matching this and every one of `others`. `?` meets literals by name. */
  intersection(...others: Subscription[]): Subscription {
    let root: Node | null = this.#root;
    for (const other of others) {
      if (root === null) break;
      root = intersect(root, other.#root);
    }
    return Subscription.#fromRoot(root ?? emptyNode());
  }

  /** True when no event type matches both; the same as an empty intersection, but faster. */
  isDisjoint(other: Subscription): boolean {
    return disjoint(this.#root, other.#root);
  }

  static #fromRoot(root: Node): Subscription {
    const subscription = new Subscription();
    subscription.#root = root;
    return subscription;
  }
}

function emptyNode(): Node {
  return { leaf: false, star: false, children: new Map() };
}

function isEmptyNode(node: Node): boolean {
  return !node.leaf && !node.star && node.children.size === 0;
}

function insert(root: Node, type: EventType): void {
  let node = root;
  for (const segment of type) {
    if (node.star) return;
    if (segment === '*') {
      node.star = true;
      node.leaf = false;
      node.children.clear();
      return;
    }
    let child = node.children.get(segment);
    if (child === undefined) {
      child = emptyNode();
      node.children.set(segment, child);
    }
    node = child;
  }
  if (!node.star) node.leaf = true;
}

function collect(node: Node, prefix: string[], out: EventType[]): void {
  if (node.star) {
    out.push([...prefix, '*']);
    return;
  }
  if (node.leaf) out.push([...prefix]);
  for (const [segment, child] of node.children) {
    prefix.push(segment);
    collect(child, prefix, out);
    prefix.pop();
  }
}

function matchFrom(node: Node, type: EventType, index: number): boolean {
  if (node.star) return true;
  if (index === type.length) return node.leaf;
  const segment = type[index];
  if (segment === undefined) return false;
  const exact = node.children.get(segment);
  if (exact !== undefined && matchFrom(exact, type, index + 1)) return true;
  const any = node.children.get('?');
  return any !== undefined && any !== exact && matchFrom(any, type, index + 1);
}

function unite(a: Node, b: Node): Node {
  if (a.star || a === b) return a;
  if (b.star) return b;
  const children = new Map(a.children);
  for (const [segment, fromB] of b.children) {
    const fromA = children.get(segment);
    children.set(segment, fromA === undefined ? fromB : unite(fromA, fromB));
  }
  return { leaf: a.leaf || b.leaf, star: false, children };
}

/** The intersection of two subtrees, or null when it is empty. */
function intersect(a: Node, b: Node): Node | null {
  if (a.star) return isEmptyNode(b) ? null : b;
  if (b.star) return isEmptyNode(a) ? null : a;
  const children = new Map<string, Node>();
  for (const [segment, fromA] of a.children) {
    if (segment === '?') {
      for (const [key, fromB] of b.children) addChild(children, key, intersect(fromA, fromB));
      continue;
    }
    const exact = b.children.get(segment);
    if (exact !== undefined) addChild(children, segment, intersect(fromA, exact));
    const any = b.children.get('?');
    if (any !== undefined) addChild(children, segment, intersect(fromA, any));
  }
  const leaf = a.leaf && b.leaf;
  return leaf || children.size > 0 ? { leaf, star: false, children } : null;
}

function addChild(children: Map<string, Node>, segment: string, node: Node | null): void {
  if (node === null) return;
  const existing = children.get(segment);
  children.set(segment, existing === undefined ? node : unite(existing, node));
}

function disjoint(a: Node, b: Node): boolean {
  if (a.star) return isEmptyNode(b);
  if (b.star) return isEmptyNode(a);
  if (a.leaf && b.leaf) return false;
  for (const [segment, fromA] of a.children) {
    if (segment === '?') {
      for (const fromB of b.children.values()) if (!disjoint(fromA, fromB)) return false;
      continue;
    }
    const exact = b.children.get(segment);
    if (exact !== undefined && !disjoint(fromA, exact)) return false;
    const any = b.children.get('?');
    if (any !== undefined && !disjoint(fromA, any)) return false;
  }
  return true;
}
