import type { Event } from '../model/event.js';
import type { EventPayload } from '../model/payload.js';
import { SbsWriter } from './sbs-writer.js';

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

class EventEncoding extends Stamp {
  readonly #bytes: Uint8Array;

  private constructor(event: Event, bytes: Uint8Array) {
    super(event);
    this.#bytes = bytes;
  }

  static remember(event: Event, bytes: Uint8Array): void {
    // A non-extensible object may refuse new private fields in future engines.
    if (!(#bytes in event) && Object.isExtensible(event)) new EventEncoding(event, bytes);
  }

  static of(event: object): Uint8Array | undefined {
    return #bytes in event ? event.#bytes : undefined;
  }
}

class PayloadEncoding extends Stamp {
  readonly #bytes: Uint8Array;

  private constructor(payload: EventPayload, bytes: Uint8Array) {
    super(payload);
    this.#bytes = bytes;
  }

  static remember(payload: EventPayload, bytes: Uint8Array): void {
    if (!(#bytes in payload) && Object.isExtensible(payload)) new PayloadEncoding(payload, bytes);
  }

  static of(payload: object): Uint8Array | undefined {
    return #bytes in payload ? payload.#bytes : undefined;
  }
}

/** Remembers that `bytes` (which must not change) is the `HatEventer.Event` encoding of
 * `event`. A second call for the same event is ignored. */
export function rememberEventEncoding(event: Event, bytes: Uint8Array): void {
  EventEncoding.remember(event, bytes);
}

/** The `HatEventer.Event` encoding remembered for `event`, if any. */
export function eventEncoding(event: Event): Uint8Array | undefined {
  return EventEncoding.of(event);
}

/** Remembers that `bytes` (which must not change) is the `HatEventer.EventPayload` encoding of
 * `payload`. A second call for the same payload is ignored. */
export function rememberPayloadEncoding(payload: EventPayload, bytes: Uint8Array): void {
  PayloadEncoding.remember(payload, bytes);
}

/** The `HatEventer.EventPayload` encoding remembered for `payload`, if any. */
export function payloadEncoding(payload: EventPayload): Uint8Array | undefined {
  return PayloadEncoding.of(payload);
}

const copies = new SbsWriter(64 * 1024);

/**
 * A copy of `bytes` to remember: decoders must not alias their input (a frame or LMDB's read
 * buffer is reused), and copies share slabs because a fresh ArrayBuffer per event costs more
 * than decoding it. A retained copy keeps its 64 KiB slab alive.
 */
export function retainedCopy(bytes: Uint8Array): Uint8Array {
  copies.writeRaw(bytes);
  return copies.finish();
}
