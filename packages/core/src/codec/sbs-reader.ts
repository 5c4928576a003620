import { ProtocolError } from '../errors.js';

/**
 * SBS reader with strict bounds checks, spec: hat-event.md §2.2. Every read names the schema
 * field it is reading (`field`, e.g. `'HatEventer.Event.type'`) so a malformed input raises a
 * {@link ProtocolError} saying what was wrong and where (`offset`). No read allocates more than
 * the input's own size: lengths and counts are checked against the remaining bytes first and
 * Integers are capped in length.
 */

const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Longest SBS Integer `readInteger` accepts: 8 bytes = 56 bits holds every safe integer. */
export const MAX_SAFE_INTEGER_BYTES = 8;
/** Default longest SBS Integer `readBigInteger`/`readIntegerSaturating` accept (448 bits). */
export const DEFAULT_MAX_INTEGER_BYTES = 64;

/** Strings up to this many bytes are decoded in JS when they are ASCII (a TextDecoder call costs
 * more than that for short strings, such as event type segments). */
const ASCII_LOOP_MAX = 24;
/** Scratch char-code arrays for the short ASCII path, one per length (setting an array's
 * `length` is a slow runtime call). */
const charCodes: number[][] = Array.from({ length: ASCII_LOOP_MAX + 1 }, (_, n) =>
  new Array<number>(n).fill(0),
);

/** `bytes[start, stop)` as a string if all ASCII, else null. `stop - start ≤ ASCII_LOOP_MAX`. */
function shortAscii(bytes: Uint8Array, start: number, stop: number): string | null {
  const n = stop - start;
  const codes = charCodes[n] as number[];
  for (let i = 0; i < n; i++) {
    const c = bytes[start + i] ?? 0x80;
    if (c >= 0x80) return null;
    codes[i] = c;
  }
  return String.fromCharCode.apply(null, codes);
}

export interface SbsReaderOptions {
  /**
   * Remember on each decoded payload the bytes it was decoded from (see `encodings.ts`), so
   * encoding it again copies them. For a server, which passes payloads on; a client reading
   * events for its application has no use for them.
   */
  readonly rememberPayloads?: boolean;
}

export class SbsReader {
  readonly #bytes: Uint8Array;
  readonly #end: number;
  #pos: number;
  #view: DataView | null = null;
  readonly rememberPayloads: boolean;

  /** Reads `bytes[start, end)`. The reader never copies or modifies `bytes`. */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length, options: SbsReaderOptions = {}) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = Math.min(end, bytes.length);
    this.rememberPayloads = options.rememberPayloads ?? false;
  }

  /** Offset of the next byte to read. */
  get position(): number {
    return this.#pos;
  }

  /** The whole input (read-only by contract): for callers that work on offsets. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** A view of input bytes `[start, end)`, e.g. of a value just read: it aliases the input. */
  input(start: number, end: number): Uint8Array {
    return this.#bytes.subarray(start, end);
  }

  /** Bytes left before the end. */
  get remaining(): number {
    return this.#end - this.#pos;
  }

  /** A ProtocolError for `field` at the current position. */
  fail(field: string, problem: string, cause?: unknown): ProtocolError {
    const options = cause === undefined ? { offset: this.#pos } : { offset: this.#pos, cause };
    return new ProtocolError(`${field}: ${problem}`, options);
  }

  /** Length of the Integer starting at the current position, capped at `maxBytes`. */
  #integerLength(field: string, maxBytes: number): number {
    const bytes = this.#bytes;
    const limit = Math.min(this.#end, this.#pos + maxBytes);
    for (let i = this.#pos; i < limit; i++) {
      if ((bytes[i] ?? 0) & 0x80) return i - this.#pos + 1;
    }
    if (this.remaining < maxBytes) throw this.fail(field, 'truncated Integer');
    throw this.fail(field, `Integer longer than ${maxBytes} bytes`);
  }

  /**
   * Reads an Integer of at most `maxBytes` bytes as a number: exact when it is a safe integer;
   * otherwise +Infinity or -Infinity by its sign (callers clamp or reject).
   */
  readIntegerSaturating(field = 'Integer', maxBytes = DEFAULT_MAX_INTEGER_BYTES): number {
    const first = this.#bytes[this.#pos];
    if (this.#pos < this.#end && first !== undefined && first & 0x80) {
      this.#pos++;
      return (first & 0x3f) - (first & 0x40);
    }
    const length = this.#integerLength(field, maxBytes);
    const bytes = this.#bytes;
    let pos = this.#pos;
    const stop = pos + length;
    // Exact while |v| < 2^53: the magnitude never shrinks, so rounding only happens once the
    // value is already outside the safe range, and rounding is monotonic.
    let v = (bytes[pos] ?? 0) & 0x40 ? -1 : 0;
    for (; pos < stop; pos++) v = v * 128 + ((bytes[pos] ?? 0) & 0x7f);
    this.#pos = stop;
    if (Number.isSafeInteger(v)) return v;
    return v < 0 ? -Infinity : Infinity;
  }

  /** Reads an Integer that must be a safe integer (at most 8 bytes). */
  readInteger(field = 'Integer'): number {
    const start = this.#pos;
    const v = this.readIntegerSaturating(field, MAX_SAFE_INTEGER_BYTES);
    if (v === Infinity || v === -Infinity) {
      this.#pos = start;
      throw this.fail(field, 'Integer outside the safe integer range');
    }
    return v;
  }

  /** Reads an Integer of any size up to `maxBytes` bytes. */
  readBigInteger(field = 'Integer', maxBytes = DEFAULT_MAX_INTEGER_BYTES): bigint {
    const length = this.#integerLength(field, maxBytes);
    const bytes = this.#bytes;
    const stop = this.#pos + length;
    let v = (bytes[this.#pos] ?? 0) & 0x40 ? -1n : 0n;
    for (let pos = this.#pos; pos < stop; pos++) {
      v = (v << 7n) | BigInt((bytes[pos] ?? 0) & 0x7f);
    }
    this.#pos = stop;
    return v;
  }

  /** Reads a Boolean: exactly 0x00 or 0x01. */
  readBoolean(field = 'Boolean'): boolean {
    const b = this.#pos < this.#end ? this.#bytes[this.#pos] : undefined;
    if (b === undefined) throw this.fail(field, 'truncated Boolean');
    if (b > 1) throw this.fail(field, `invalid Boolean byte 0x${b.toString(16).padStart(2, '0')}`);
    this.#pos++;
    return b === 1;
  }

  /** Reads a None (zero bytes). */
  readNone(): null {
    return null;
  }

  /** Reads a Float: IEEE 754 binary64, big-endian. */
  readFloat(field = 'Float'): number {
    if (this.remaining < 8)
      throw this.fail(field, `truncated Float (${this.remaining} of 8 bytes)`);
    const bytes = this.#bytes;
    this.#view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const x = this.#view.getFloat64(this.#pos, false);
    this.#pos += 8;
    return x;
  }

  /** Reads a length prefix and checks it against the remaining bytes. */
  #readLength(field: string): number {
    const start = this.#pos;
    const length = this.readIntegerSaturating(field, MAX_SAFE_INTEGER_BYTES);
    const remaining = this.remaining;
    if (length >= 0 && length <= remaining) return length;
    this.#pos = start;
    if (length < 0) throw this.fail(field, `negative length ${length}`);
    const shown = Number.isFinite(length) ? String(length) : 'beyond 2^53';
    throw this.fail(field, `declared length ${shown} exceeds remaining ${remaining} bytes`);
  }

  /** Reads Bytes. Zero-copy: the result is a view into the input and aliases its memory. */
  readBytes(field = 'Bytes'): Uint8Array {
    const length = this.#readLength(field);
    const start = this.#pos;
    this.#pos += length;
    return this.#bytes.subarray(start, start + length);
  }

  /** Skips Bytes or a String (checking only its length). */
  skipBytes(field = 'Bytes'): void {
    const length = this.#readLength(field);
    this.#pos += length;
  }

  /** Moves back to `position`, an offset this reader has passed (to read a value again). */
  rewind(position: number): void {
    if (!(position >= 0 && position <= this.#pos))
      throw new RangeError(`cannot rewind to ${position}`);
    this.#pos = position;
  }

  /** Reads a String; invalid UTF-8 is an error. A leading U+FEFF is kept, not stripped. */
  readString(field = 'String'): string {
    const length = this.#readLength(field);
    const bytes = this.#bytes;
    const start = this.#pos;
    const stop = start + length;
    if (length <= ASCII_LOOP_MAX) {
      const s = shortAscii(bytes, start, stop);
      if (s !== null) {
        this.#pos = stop;
        return s;
      }
    }
    try {
      const s = textDecoder.decode(bytes.subarray(start, stop));
      this.#pos = stop;
      return s;
    } catch (error) {
      throw this.fail(field, 'invalid UTF-8', error);
    }
  }

  /**
   * Reads an Array header (item count). Items of most types take at least one byte, so by
   * default the count may not exceed the bytes remaining after it; for zero-size items (None)
   * pass an explicit `maxCount`.
   */
  readArrayLength(field = 'Array', maxCount?: number): number {
    const start = this.#pos;
    const count = this.readIntegerSaturating(field, MAX_SAFE_INTEGER_BYTES);
    const limit = maxCount ?? this.remaining;
    if (count >= 0 && count <= limit) return count;
    this.#pos = start;
    if (count < 0) throw this.fail(field, `negative count ${count}`);
    const shown = Number.isFinite(count) ? String(count) : 'beyond 2^53';
    const what = maxCount === undefined ? `remaining ${limit} bytes` : `the limit of ${limit}`;
    throw this.fail(field, `declared count ${shown} exceeds ${what}`);
  }

  /** Reads a Choice header: an entry index that must be in `[0, entries)`. */
  readChoice(entries: number, field = 'Choice'): number {
    const first = this.#pos < this.#end ? this.#bytes[this.#pos] : undefined;
    if (first !== undefined && first >= 0x80 && first - 0x80 < entries) {
      this.#pos++;
      return first - 0x80;
    }
    const start = this.#pos;
    const index = this.readIntegerSaturating(field, MAX_SAFE_INTEGER_BYTES);
    if (index < 0 || index >= entries) {
      this.#pos = start;
      const shown = Number.isFinite(index) ? String(index) : 'beyond 2^53';
      throw this.fail(field, `Choice index ${shown} out of range [0, ${entries})`);
    }
    return index;
  }

  /** Throws unless every byte was consumed. */
  expectEnd(field = 'SBS value'): void {
    if (this.#pos !== this.#end) throw this.fail(field, `${this.remaining} trailing bytes`);
  }
}
