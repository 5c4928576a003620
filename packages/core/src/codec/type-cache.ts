import type { EventType } from '../model/event-type.js';
import { SlabCopies } from './slab-copies.js';

/**
 * Decoded event types by their SBS encoding. A stream of events repeats a few types: finding one
 * by a hash of its bytes is faster than decoding its strings, and the events share one frozen
 * array instead of keeping a copy each.
 *
 * A type is cached the second time it is seen (a direct-mapped table of hashes remembers the
 * first time), so a stream of ever new types costs a hash and two lookups per event, not a
 * copy. Once {@link MAX_TYPES} types are cached, the cache stops taking new ones: starting over
 * would make a stream of more types than that pay for caching each of them again and again, and
 * types past the limit decode as they would without a cache.
 *
 * Encodings are given as `bytes[start, end)`, so a lookup creates no view.
 */
export class EventTypeCache {
  readonly #entries = new Map<number, { readonly bytes: Uint8Array; readonly type: EventType }>();
  /** Hashes seen once, by their low bits (a collision only delays caching a type). */
  readonly #seenOnce = new Int32Array(SEEN_SLOTS);
  readonly #copies = new SlabCopies();

  /** The type encoded as `bytes[start, end)` (whose {@link typeHash} is `key`), if cached. */
  get(key: number, bytes: Uint8Array, start: number, end: number): EventType | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && sameBytes(entry.bytes, bytes, start, end)
      ? entry.type
      : undefined;
  }

  /** Offers `type`, decoded from `bytes[start, end)`; returns the array to use (frozen once
   * cached). */
  add(key: number, bytes: Uint8Array, start: number, end: number, type: string[]): EventType {
    if (this.#entries.size >= MAX_TYPES) return type;
    const slot = key & (SEEN_SLOTS - 1);
    if (this.#seenOnce[slot] !== key) {
      this.#seenOnce[slot] = key;
      return type;
    }
    const frozen = Object.freeze(type);
    this.#entries.set(key, { bytes: this.#copies.copy(bytes.subarray(start, end)), type: frozen });
    return frozen;
  }
}

/** Most types an {@link EventTypeCache} keeps. */
export const MAX_TYPES = 16_384;
const SEEN_SLOTS = 1 << 16;

/** FNV-1a of `bytes[start, end)`, kept to 30 bits: V8 stores such numbers unboxed, as Map keys
 * too. */
export function typeHash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 2;
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}
