import { invalidArgument } from '../errors.js';
import type { JsonValue } from '../model/payload.js';

/**
 * UTF-8 JSON text of a payload, byte-identical to `TextEncoder.encode(JSON.stringify(value))`
 * but written straight into bytes: on Node 20 `JSON.stringify` plus UTF-8 encoding of its result
 * is most of the cost of encoding an event. Plain objects, arrays, strings, finite numbers,
 * booleans and null take the fast path; anything else (class instances, `toJSON`, deep nesting)
 * falls back to `JSON.stringify` for the whole value. Like Python's `allow_nan=False`, NaN,
 * ±Infinity, `undefined` array items, bigints and cycles are an ERR_INVALID_ARGUMENT error.
 */

const textEncoder = new TextEncoder();
const MAX_FAST_DEPTH = 64;
const QUOTE = 0x22;
/** Buffer size kept between calls; a larger one (after a huge payload) is dropped. */
const MAX_RETAINED = 1024 * 1024;

let buf = new Uint8Array(4096);
let pos = 0;

/** A signal to abandon the fast path. */
const FALLBACK = Symbol('fallback');

/**
 * Returns the UTF-8 JSON text of `value`. The result is a borrowed view of a module buffer: valid
 * only until the next call; copy it out (e.g. `SbsWriter.writeBytes`) before calling again.
 */
export function jsonUtf8(value: JsonValue): Uint8Array {
  if (buf.length > MAX_RETAINED) buf = new Uint8Array(4096);
  pos = 0;
  if (writeValue(value, 0) === FALLBACK) {
    pos = 0;
    writeUtf8(stringifyJson(value));
  }
  return buf.subarray(0, pos);
}

function ensure(n: number): Uint8Array {
  if (pos + n > buf.length) {
    const next = new Uint8Array(Math.max(buf.length * 2, pos + n));
    next.set(buf.subarray(0, pos));
    buf = next;
  }
  return buf;
}

function writeAscii(s: string): void {
  const n = s.length;
  const b = ensure(n);
  for (let i = 0; i < n; i++) b[pos + i] = s.charCodeAt(i);
  pos += n;
}

/** Writes JSON text (any Unicode) as UTF-8. */
function writeUtf8(text: string): void {
  const b = ensure(text.length * 3);
  pos += textEncoder.encodeInto(text, b.subarray(pos)).written;
}

/** Writes `"s"`: a plain copy when no character needs escaping or UTF-8 encoding. */
function writeString(s: string): void {
  const n = s.length;
  const b = ensure(n + 2);
  b[pos] = QUOTE;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === QUOTE || c === 0x5c || c >= 0x7f) {
      writeUtf8(JSON.stringify(s));
      return;
    }
    b[pos + 1 + i] = c;
  }
  b[pos + 1 + n] = QUOTE;
  pos += n + 2;
}

function writeNumber(n: number): void {
  if (!Number.isFinite(n)) {
    throw invalidArgument(`JSON payload: ${n} is not valid JSON`);
  }
  writeAscii(String(n));
}

function writeValue(value: unknown, depth: number): typeof FALLBACK | void {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return writeNumber(value);
    case 'boolean':
      return writeAscii(value ? 'true' : 'false');
    case 'object':
      if (value === null) return writeAscii('null');
      if (depth >= MAX_FAST_DEPTH) return FALLBACK;
      if (Array.isArray(value)) return writeArray(value, depth);
      return writeObject(value, depth);
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      return FALLBACK; // let JSON.stringify decide (and stringifyJson reject)
  }
}

function writeArray(items: unknown[], depth: number): typeof FALLBACK | void {
  if (typeof (items as { toJSON?: unknown }).toJSON === 'function') return FALLBACK;
  ensure(1)[pos++] = 0x5b;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) ensure(1)[pos++] = 0x2c;
    if (writeValue(items[i], depth + 1) === FALLBACK) return FALLBACK;
  }
  ensure(1)[pos++] = 0x5d;
}

function writeObject(object: object, depth: number): typeof FALLBACK | void {
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) return FALLBACK;
  const record = object as Record<string, unknown>;
  if (typeof record.toJSON === 'function') return FALLBACK;
  ensure(1)[pos++] = 0x7b;
  let first = true;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const kind = typeof item;
    if (kind === 'undefined' || kind === 'function' || kind === 'symbol') continue;
    if (!first) ensure(1)[pos++] = 0x2c;
    first = false;
    writeString(key);
    ensure(1)[pos++] = 0x3a;
    if (writeValue(item, depth + 1) === FALLBACK) return FALLBACK;
  }
  ensure(1)[pos++] = 0x7d;
}

/**
 * `JSON.stringify` that rejects what Python's `json.dumps(allow_nan=False)` rejects instead of
 * silently writing `null`. The deep check only runs when the text contains `null`, which is the
 * only way a NaN, ±Infinity or `undefined` array item can show up in the output.
 */
export function stringifyJson(data: JsonValue): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw invalidArgument('JSON payload: value is not serialisable', {
      cause: error,
    });
  }
  if (text === undefined) {
    throw invalidArgument('JSON payload: value is not a JSON value');
  }
  if (text.includes('null')) assertStrictJson(data);
  return text;
}

function assertStrictJson(value: unknown): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw invalidArgument(`JSON payload: ${value} is not valid JSON`);
    }
  } else if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const kind = typeof item;
      if (kind === 'undefined' || kind === 'function' || kind === 'symbol') {
        throw invalidArgument(`JSON payload: array item of type ${kind} is not valid JSON`);
      }
      assertStrictJson(item);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) assertStrictJson(item);
  }
}
