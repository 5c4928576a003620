import { invalidArgument } from '@eventum/core';

import type { Kind } from './kind.js';

/** How a kind is named in calls: its object, its name, or (when no other kind shares it) its id. */
export type KindRef = Kind | string | number;

/**
 * A set of kinds, looked up by name or id. Names are unique; ids may be shared (ION's 4001 is
 * both `data-block` and `instrument-sample`). Immutable: {@link Catalogue.with} returns a new one.
 */
export class Catalogue<K extends Kind = Kind> {
  readonly kinds: readonly K[];
  readonly #byName = new Map<string, K>();
  readonly #byId = new Map<number, K[]>();
  #lastName: string | undefined;
  #lastKind: K | undefined;

  private constructor(kinds: readonly K[]) {
    for (const kind of kinds) {
      if (this.#byName.has(kind.name)) {
        throw invalidArgument(`catalogue: two kinds are named ${kind.name}`);
      }
      this.#byName.set(kind.name, kind);
      this.#byId.set(kind.id, [...(this.#byId.get(kind.id) ?? []), kind]);
    }
    this.kinds = Object.freeze([...kinds]);
  }

  /** A catalogue of `kinds`; throws `ERR_INVALID_ARGUMENT` when two share a name. */
  static of<const Ks extends readonly Kind[]>(...kinds: Ks): Catalogue<Ks[number]> {
    return new Catalogue<Ks[number]>(kinds);
  }

  /** This catalogue plus `kinds` (an application's own next to the built-in ones). */
  with<const Ks extends readonly Kind[]>(...kinds: Ks): Catalogue<K | Ks[number]> {
    return new Catalogue<K | Ks[number]>([...this.kinds, ...kinds]);
  }

  byName(name: string): K | undefined {
    // Notifications mostly come in runs of one kind: the last one asked for is kept apart.
    if (name === this.#lastName) return this.#lastKind;
    const kind = this.#byName.get(name);
    this.#lastName = name;
    this.#lastKind = kind;
    return kind;
  }

  /** Every kind with this id (usually one). */
  byId(id: number): readonly K[] {
    return this.#byId.get(id) ?? [];
  }

  /**
   * The kind `ref` names. Throws `ERR_INVALID_ARGUMENT` when no kind matches, when an id is
   * shared by several kinds (name one of them), or when a kind object is not this catalogue's.
   */
  resolve(ref: KindRef): K {
    if (typeof ref === 'object') {
      if (this.#byName.get(ref.name) !== ref) {
        throw invalidArgument(`kind ${ref.name} is not in this catalogue`);
      }
      return ref as K;
    }
    const asId = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
    if (asId === undefined) {
      const kind = this.#byName.get(String(ref));
      if (kind === undefined) throw invalidArgument(`unknown notification kind ${ref}`);
      return kind;
    }
    const kinds = this.byId(asId);
    if (kinds.length === 1) return kinds[0] as K;
    if (kinds.length === 0) throw invalidArgument(`unknown notification kind id ${asId}`);
    const names = kinds.map((k) => k.name).join(', ');
    throw invalidArgument(`kind id ${asId} is shared by ${names}: name one`);
  }
}
