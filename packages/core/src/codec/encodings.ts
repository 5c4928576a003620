import type { Event } from '../model/event.js';
import type { EventPayload } from '../model/payload.js';
import type { QueryResult } from '../model/query.js';
import { SlabCopies } from './slab-copies.js';

/*
 * Encodings remembered on the objects they encode, so the server passes bytes it received or
 * stored straight through instead of encoding the same value again: an event read from LMDB is
 * answered with its stored bytes, an event the backend encoded for storage is sent to its client
 * and subscribers with those bytes, and a JSON payload keeps the text it arrived in (writing JSON
 * again costs about as much as parsing it).
 *
 * The bytes live in a private field stamped onto the object itself (a base class whose
 * constructor returns its argument lets a subclass add its private field to any object). Such a
 * field is no property: `deepStrictEqual`, spread, `Object.keys`, `JSON.stringify` and
 * `structuredClone` never see it, so a copy never carries bytes that may no longer match it.
 * Stamping costs a few nanoseconds; a WeakMap entry costs hundreds.
 *
 * Events and payloads are immutable (their types are readonly): an object changed in place
 * after it was stamped would still be sent with its old bytes.
 */

/** Lends its `this` to subclasses: `super(target)` makes `target` the object being built. */
class Stamp {
  constructor(target: object) {
    return target;
  }
}

/**
 * A kind of remembered value: each call makes a class, and with it a private field, of its own.
 * A second `remember` for the same object is ignored.
 */
function rememberedKind<T extends object, V>() {
  return class Remembered extends Stamp {
    readonly #value: V;

    private constructor(target: T, value: V) {
      super(target);
      this.#value = value;
    }

    static remember(target: T, value: V): void {
      // A non-extensible object may refuse new private fields in future engines.
      if (!(#value in target) && Object.isExtensible(target)) new Remembered(target, value);
    }

    static of(target: T): V | undefined {
      return #value in target ? target.#value : undefined;
    }
  };
}

const EventEncoding = rememberedKind<Event, Uint8Array>();
const PayloadEncoding = rememberedKind<EventPayload, Uint8Array>();
const ResultEncoding = rememberedKind<QueryResult, EncodedEvents>();

/** Events encoded back to back: event `i` is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface EncodedEvents {
  readonly bytes: Uint8Array;
  readonly ends: readonly number[];
}

/** Remembers that `bytes` (which must not change) is the `HatEventer.Event` encoding of
 * `event`. */
export function rememberEventEncoding(event: Event, bytes: Uint8Array): void {
  EventEncoding.remember(event, bytes);
}

/** The `HatEventer.Event` encoding remembered for `event`, if any. */
export function eventEncoding(event: Event): Uint8Array | undefined {
  return EventEncoding.of(event);
}

/** Remembers that `bytes` (which must not change) is the `HatEventer.EventPayload` encoding of
 * `payload`. */
export function rememberPayloadEncoding(payload: EventPayload, bytes: Uint8Array): void {
  PayloadEncoding.remember(payload, bytes);
}

/** The `HatEventer.EventPayload` encoding remembered for `payload`, if any. */
export function payloadEncoding(payload: EventPayload): Uint8Array | undefined {
  return PayloadEncoding.of(payload);
}

/**
 * Remembers that `events` (which must not change) are the `HatEventer.Event` encodings of
 * `result.events`, in order: a backend can then answer a query without decoding its events
 * unless somebody reads them.
 */
export function rememberResultEncoding(result: QueryResult, events: EncodedEvents): void {
  ResultEncoding.remember(result, events);
}

/** The event encodings remembered for `result`, if any. */
export function resultEncoding(result: QueryResult): EncodedEvents | undefined {
  return ResultEncoding.of(result);
}

const copies = new SlabCopies();

/**
 * A copy of `bytes` to remember: decoders must not alias their input (a frame or LMDB's read
 * buffer is reused). A retained copy keeps its 64 KiB slab alive (see SlabCopies).
 */
export function retainedCopy(bytes: Uint8Array): Uint8Array {
  return copies.copy(bytes);
}
