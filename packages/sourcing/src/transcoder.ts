import { Buffer } from 'node:buffer';

import { ProtocolError, invalidArgument } from '@eventum/core';

/**
 * How one non-JSON type is written: `is` recognises values, `encode` turns one into JSON-able
 * data (which may itself hold registered types), `decode` turns that data back.
 */
export interface Transcoding<T = unknown> {
  /** Stored in every encoded value (`{"_type_": name, "_data_": …}`); never change it. */
  readonly name: string;
  is(value: unknown): value is T;
  encode(value: T): unknown;
  decode(data: unknown): T;
}

/** `bigint` as its decimal string. */
export const bigintTranscoding: Transcoding<bigint> = {
  name: 'bigint',
  is: (value): value is bigint => typeof value === 'bigint',
  encode: (value) => value.toString(),
  decode: (data) => BigInt(data as string),
};

/** `Date` as its ISO-8601 string (millisecond precision, UTC). */
export const dateTranscoding: Transcoding<Date> = {
  name: 'date',
  is: (value): value is Date => value instanceof Date,
  encode: (value) => value.toISOString(),
  decode: (data) => new Date(data as string),
};

/** `Uint8Array` (and `Buffer`) as base64; decoded as a plain `Uint8Array`. */
export const bytesTranscoding: Transcoding<Uint8Array> = {
  name: 'bytes',
  is: (value): value is Uint8Array => value instanceof Uint8Array,
  encode: (value) =>
    Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
  decode: (data) => new Uint8Array(Buffer.from(data as string, 'base64')),
};

/** Size of the slabs encoded values are cut from; one stored value keeps its slab alive, as
 * `Buffer.from` keeps its 8 KiB pool. */
const SLAB_BYTES = 32 * 1024;

const TYPE = '_type_';
const DATA = '_data_';

/**
 * JSON transcoder with custom types (the Python library's `JSONTranscoder`): compact UTF-8 JSON;
 * a registered type is written as a two-key object `{"_type_": name, "_data_": …}`, so a plain
 * object with exactly those two keys cannot be stored. An unregistered non-JSON value (a class
 * instance, a function, a symbol, `undefined` in an array) is `ERR_INVALID_ARGUMENT` naming
 * its path; undecodable bytes are `ERR_PROTOCOL`.
 */
export class Transcoder {
  readonly #byName = new Map<string, Transcoding>();
  readonly #list: Transcoding[] = [];
  /** Where encoded values are written (see {@link Transcoder.encode}). */
  #slab = Buffer.alloc(0);
  #slabAt = 0;

  constructor(transcodings: readonly Transcoding[] = []) {
    for (const t of [bigintTranscoding, dateTranscoding, bytesTranscoding, ...transcodings])
      this.register(t);
  }

  /** Adds a transcoding; a name registered twice is `ERR_INVALID_ARGUMENT`. */
  register(transcoding: Transcoding): void {
    if (this.#byName.has(transcoding.name))
      throw invalidArgument(`transcoding ${transcoding.name} is already registered`);
    this.#byName.set(transcoding.name, transcoding);
    this.#list.push(transcoding);
  }

  encode(value: unknown): Uint8Array {
    const text = JSON.stringify(this.#toJson(value, ''));
    // A UTF-16 unit takes at most 3 bytes in UTF-8. Small values are written into a slab of
    // the transcoder's own: `Buffer.from` would take a new 8 KiB pool every ~13 events of a
    // batch (it reserves 4 bytes per character).
    const most = text.length * 3;
    if (most > SLAB_BYTES >> 3) return Buffer.from(text, 'utf8');
    if (this.#slabAt + most > this.#slab.length) {
      this.#slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.#slabAt = 0;
    }
    const start = this.#slabAt;
    this.#slabAt += this.#slab.write(text, start, 'utf8');
    return this.#slab.subarray(start, this.#slabAt);
  }

  decode(bytes: Uint8Array): unknown {
    let text: string;
    try {
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      const parsed: unknown = JSON.parse(text);
      // A reviver would slow every parse down; only text with tagged values needs the walk.
      return text.includes(`"${TYPE}"`) ? this.#reviveTree(parsed) : parsed;
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError(`stored event state is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  #toJson(value: unknown, path: string): unknown {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw invalidArgument(`${path || 'value'}: ${value} cannot be stored (not finite)`);
      return value;
    }
    if (Array.isArray(value)) return this.#array(value, path);
    const proto: unknown = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto !== Object.prototype && proto !== null) return this.#tagged(value, path);
    return this.#object(value as Record<string, unknown>, path);
  }

  // Arrays and objects are copied only when an item changes (a tagged value, an undefined
  // property left out): plain JSON data, the usual case, is checked and then stringified as it
  // is, and a plain leaf is not even walked into (no path string is built for it).

  #item(item: unknown, path: string, key: string | number): unknown {
    if (typeof item === 'string' || typeof item === 'boolean' || item === null) return item;
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    return this.#toJson(item, `${path}/${key}`);
  }

  #array(value: readonly unknown[], path: string): unknown {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      // A hole is written as null, as JSON.stringify does.
      const item = value[i] === undefined && !(i in value) ? null : value[i];
      const json = this.#item(item, path, i);
      if (out === undefined && json !== value[i]) out = value.slice(0, i);
      out?.push(json);
    }
    return out ?? value;
  }

  #object(value: Record<string, unknown>, path: string): unknown {
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = value[key];
      const json = item === undefined ? undefined : this.#item(item, path, key);
      if (out === undefined && (json !== item || item === undefined)) {
        out = {};
        for (const k of keys.slice(0, i)) out[k] = value[k];
      }
      if (out !== undefined && json !== undefined) out[key] = json;
    }
    return out ?? value;
  }

  #tagged(value: unknown, path: string): unknown {
    const transcoding = this.#list.find((t) => t.is(value));
    if (transcoding === undefined) {
      const kind = typeof value === 'object' ? (value as object).constructor.name : typeof value;
      throw invalidArgument(`${path || 'value'}: no transcoding registered for ${kind}`);
    }
    return {
      [TYPE]: transcoding.name,
      [DATA]: this.#toJson(transcoding.encode(value), `${path}/${DATA}`),
    };
  }

  /** Decodes tagged values bottom-up (inner ones first, as `_data_` may hold tagged values). */
  #reviveTree(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.#reviveTree(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = this.#reviveTree(record[key]);
    return this.#revive(record);
  }

  #revive(value: unknown): unknown {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 2 || !(TYPE in value) || !(DATA in value)) return value;
    const tagged = value as Record<string, unknown>;
    const transcoding = this.#byName.get(tagged[TYPE] as string);
    if (transcoding === undefined)
      throw new ProtocolError(`no transcoding registered for stored type ${String(tagged[TYPE])}`);
    return transcoding.decode(tagged[DATA]);
  }
}
