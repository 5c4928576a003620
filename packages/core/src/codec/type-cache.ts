import type { EventType } from '../model/event-type.js';

/**
 * Decoded event types by their SBS encoding. A stream of events repeats a few types: finding one
 * by a hash of its bytes is faster than decoding its strings, and the events share one frozen
 * array instead of keeping a copy each. Holds at most {@link MAX_TYPES} types; when full it
 * starts over.
 */
export class EventTypeCache {
  readonly #entries = new Map<number, { readonly bytes: Uint8Array; readonly type: EventType }>();

  /** The type encoded as `bytes`, if cached. */
  get(bytes: Uint8Array): EventType | undefined {
    const entry = this.#entries.get(hash(bytes));
    return entry !== undefined && sameBytes(entry.bytes, bytes) ? entry.type : undefined;
  }

  /** Caches `type`, decoded from `bytes` (copied), and returns it frozen. */
  add(bytes: Uint8Array, type: string[]): EventType {
    if (this.#entries.size >= MAX_TYPES) this.#entries.clear();
    const frozen = Object.freeze(type);
    this.#entries.set(hash(bytes), { bytes: bytes.slice(), type: frozen });
    return frozen;
  }
}

/** Most types an {@link EventTypeCache} keeps. */
export const MAX_TYPES = 16_384;

/** FNV-1a, 32 bits. */
function hash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
