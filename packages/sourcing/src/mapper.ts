import { ProtocolError } from '@eventum/core';
import type { StoredEvent } from '@eventum/core';

import type { AesCipher, Compressor } from './cipher.js';
import type { Event, EventMeta, Recorded } from './events.js';
import { Transcoder } from './transcoder.js';

/** Upcasters of one event type: `steps[n]` turns version-n data into version n+1. The current
 * version of the type is one more than its highest step (1 without steps). */
export type UpcastSteps = Readonly<Record<number, (data: any) => unknown>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Upcasters by event type. */
export type Upcasters = Readonly<Record<string, UpcastSteps>>;

/** The current schema version of a type with these steps. */
export function currentVersion(steps: Readonly<Record<number, unknown>> | undefined): number {
  if (steps === undefined) return 1;
  return Math.max(0, ...Object.keys(steps).map(Number)) + 1;
}

/** Runs the chain from `from` up to the current version. */
export function upcast<T>(
  value: T,
  from: number,
  steps: Readonly<Record<number, (v: never) => unknown>> | undefined,
): T {
  let result: unknown = value;
  for (let v = from, step = steps?.[v]; step !== undefined; step = steps?.[++v])
    result = step(result as never);
  return result as T;
}

interface StoredPayload {
  readonly d: unknown;
  /** Milliseconds since the epoch (a plain number parses faster than a tagged Date). */
  readonly t: number;
  readonly v?: number;
  readonly c?: string;
  readonly k?: string;
}

/** What a mapper is built from. The order of the write path is fixed: transcode, then compress,
 * then encrypt (and the reverse on read), as in the Python library. */
export interface MapperOptions {
  readonly transcoder?: Transcoder;
  readonly compressor?: Compressor;
  readonly cipher?: AesCipher;
  readonly upcasters?: Upcasters;
}

/**
 * Converts recorded domain events to stored events and back. Position fields (originator id and
 * version, type as topic, event id) stay in clear; data, timestamp and correlation ids go into
 * the state blob. Reading upcasts old data through the chain of its type.
 */
export class Mapper {
  readonly transcoder: Transcoder;
  readonly #compressor: Compressor | undefined;
  readonly #cipher: AesCipher | undefined;
  readonly #upcasters: Upcasters;
  readonly #versions = new Map<string, number>();

  constructor(options: MapperOptions = {}) {
    this.transcoder = options.transcoder ?? new Transcoder();
    this.#compressor = options.compressor;
    this.#cipher = options.cipher;
    this.#upcasters = options.upcasters ?? {};
  }

  toStored(event: Recorded): StoredEvent {
    const { meta } = event;
    const version = this.#versionOf(event.type);
    // Optional fields are assigned, not spread in (a spread builds an object per field); the
    // keys keep their order, so the stored bytes are the same.
    const payload: { -readonly [K in keyof StoredPayload]: StoredPayload[K] } = {
      d: event.data,
      t: meta.timestamp.getTime(),
    };
    if (version > 1) payload.v = version;
    if (meta.correlationId !== undefined) payload.c = meta.correlationId;
    if (meta.causationId !== undefined) payload.k = meta.causationId;
    return {
      originatorId: meta.originatorId,
      originatorVersion: meta.originatorVersion,
      topic: event.type,
      eventId: meta.eventId,
      state: this.encodeState(payload),
    };
  }

  /** The current schema version of `type`, worked out once per type. */
  #versionOf(type: string): number {
    let version = this.#versions.get(type);
    if (version === undefined)
      this.#versions.set(type, (version = currentVersion(this.#upcasters[type])));
    return version;
  }

  toDomain<E extends Event = Event>(stored: StoredEvent): Recorded<E> {
    const payload = this.decodeState(stored.state) as StoredPayload;
    if (typeof payload !== 'object' || payload === null || typeof payload.t !== 'number') {
      throw new ProtocolError(`stored event ${stored.eventId} has no envelope`);
    }
    const meta: EventMeta = {
      eventId: stored.eventId,
      originatorId: stored.originatorId,
      originatorVersion: stored.originatorVersion,
      timestamp: new Date(payload.t),
      ...(payload.c === undefined ? {} : { correlationId: payload.c }),
      ...(payload.k === undefined ? {} : { causationId: payload.k }),
    };
    const data = upcast(payload.d, payload.v ?? 1, this.#upcasters[stored.topic]);
    return { type: stored.topic, data, meta } as unknown as Recorded<E>;
  }

  /** transcode → compress → encrypt. */
  encodeState(value: unknown): Uint8Array {
    let bytes = this.transcoder.encode(value);
    if (this.#compressor !== undefined) bytes = this.#compressor.compress(bytes);
    if (this.#cipher !== undefined) bytes = this.#cipher.encrypt(bytes);
    return bytes;
  }

  /** decrypt → decompress → decode. */
  decodeState(bytes: Uint8Array): unknown {
    let plain = bytes;
    if (this.#cipher !== undefined) plain = this.#cipher.decrypt(plain);
    if (this.#compressor !== undefined) plain = this.#compressor.decompress(plain);
    return this.transcoder.decode(plain);
  }
}
