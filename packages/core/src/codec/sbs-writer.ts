import { invalidArgument } from '../errors.js';

/**
 * SBS (Hat's simple binary serialization) writer, spec: hat-event.md §2.2.
 *
 * Integers are big-endian groups of 7 bits in two's complement; the first byte's bit 0x40 is the
 * sign and the last byte has bit 0x80 set. The writer always emits the minimal encoding (as
 * hat-sbs does), so encodings are byte-identical to Hat's.
 */

const textEncoder = new TextEncoder();

/** Strings up to this many UTF-16 units are copied by a JS loop when they are ASCII; longer ones
 * (and any non-ASCII string) go through `TextEncoder.encodeInto`, which is faster beyond ~32. */
const ASCII_LOOP_MAX = 32;

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * Bytes the SBS Integer encoding of the safe integer `n` takes (1 to 8). A k-byte Integer holds
 * 7k bits of two's complement, i.e. [-2^(7k-1), 2^(7k-1)).
 */
export function integerByteLength(n: number): number {
  const m = n < 0 ? -n - 1 : n;
  if (m < 0x40) return 1;
  if (m < 0x2000) return 2;
  if (m < 0x100000) return 3;
  if (m < 0x8000000) return 4;
  if (m < 0x400000000) return 5;
  if (m < 0x20000000000) return 6;
  if (m < 0x1000000000000) return 7;
  return 8;
}

/**
 * Writes the safe integer `n` as an SBS Integer of exactly `length` bytes (as computed by
 * {@link integerByteLength}) into `target` at `offset`. No bounds or argument checks.
 */
export function writeIntegerAt(
  target: Uint8Array,
  offset: number,
  length: number,
  n: number,
): void {
  let i = offset + length - 1;
  if (n >= INT32_MIN && n <= INT32_MAX) {
    let v = n | 0;
    target[i] = 0x80 | (v & 0x7f);
    while (i > offset) {
      v >>= 7;
      target[--i] = v & 0x7f;
    }
    return;
  }
  let v = n;
  let high = Math.floor(v / 128);
  target[i] = 0x80 | (v - high * 128);
  while (i > offset) {
    v = high;
    high = Math.floor(v / 128);
    target[--i] = v - high * 128;
  }
}

/** Default slab size of an {@link SbsWriter}. */
export const DEFAULT_SLAB_SIZE = 16 * 1024;

/** A buffer grown past this many slabs (for one big message) is not shared with later ones. */
const MAX_SHARED_SLABS = 16;

const EMPTY = new Uint8Array(0);

/**
 * SBS primitive writers over a slab allocator, the same idea as Node's `Buffer.allocUnsafe` pool:
 * allocating a fresh ArrayBuffer per 100-byte event costs more than encoding it.
 *
 * Each message is written at the end of the current slab; `finish()` returns a view of exactly its
 * bytes, which the writer never writes again, and the next message starts after it. So finished
 * results are the caller's, but several share one ArrayBuffer: respect `byteOffset`/`byteLength`
 * and don't transfer `.buffer`. A retained result keeps its slab alive (normally `slabSize`; up
 * to 16 × `slabSize` after a big message grew it; a bigger buffer is never shared). Not reentrant: a writer serves one encode at a time. Encoding a value outside its
 * type's domain (a non-integer to `writeInteger`, a negative array length) throws an
 * `ERR_INVALID_ARGUMENT` error.
 */
export class SbsWriter {
  readonly #slabSize: number;
  #buf: Uint8Array = EMPTY;
  #start = 0;
  #pos = 0;
  #view: DataView | null = null;

  constructor(slabSize = DEFAULT_SLAB_SIZE) {
    this.#slabSize = Math.max(256, slabSize);
  }

  /** Number of bytes of the current message. */
  get length(): number {
    return this.#pos - this.#start;
  }

  /** Discards the current message (e.g. after a failed encode). */
  reset(): void {
    if (this.#buf.length > this.#slabSize * MAX_SHARED_SLABS) this.#drop();
    this.#pos = this.#start;
  }

  /** Returns the current message (see the class note on ownership) and starts a new one. */
  finish(): Uint8Array {
    const out = this.#buf.subarray(this.#start, this.#pos);
    this.#start = this.#pos = (this.#pos + 7) & ~7; // keep results 8-byte aligned
    const size = this.#buf.length;
    if (size > this.#slabSize * MAX_SHARED_SLABS || size - this.#pos < this.#slabSize >>> 4) {
      this.#drop();
    }
    return out;
  }

  /** Borrowed view of bytes `[start, end)` of the current message: valid only until the next
   * write, reset or finish; never hand it out. */
  subarray(start = 0, end = this.length): Uint8Array {
    return this.#buf.subarray(this.#start + start, this.#start + end);
  }

  /** Forgets the current slab (finished views keep it alive); the next write allocates anew. */
  #drop(): void {
    this.#buf = EMPTY;
    this.#view = null;
    this.#start = this.#pos = 0;
  }

  /** Makes room for `n` more bytes and returns the (possibly new) buffer. */
  #ensure(n: number): Uint8Array {
    if (this.#pos + n <= this.#buf.length) return this.#buf;
    const length = this.#pos - this.#start;
    // Double what the message has (amortised growth for many small writes), but fit one big
    // write (a page of stored events) with a slab to spare instead of doubling it too.
    const capacity = Math.max(2 * length, length + n + this.#slabSize);
    const next = new Uint8Array(capacity);
    next.set(this.#buf.subarray(this.#start, this.#pos));
    this.#buf = next;
    this.#view = null;
    this.#start = 0;
    this.#pos = length;
    return next;
  }

  /** Writes a safe integer (|n| ≤ 2^53 − 1) as an SBS Integer. */
  writeInteger(n: number): void {
    if (n >= -64 && n < 64 && (n | 0) === n) {
      const buf = this.#ensure(1);
      buf[this.#pos++] = 0x80 | (n & 0x7f);
      return;
    }
    if (!Number.isSafeInteger(n)) throw invalidArgument(`SBS Integer: ${n} is not a safe integer`);
    const length = integerByteLength(n);
    writeIntegerAt(this.#ensure(length), this.#pos, length, n);
    this.#pos += length;
  }

  /** Writes an integer of any size as an SBS Integer. */
  writeBigInteger(n: bigint): void {
    if (n >= -0x1fffffffffffffn && n <= 0x1fffffffffffffn) {
      this.writeInteger(Number(n));
      return;
    }
    const groups: number[] = [];
    let v = n;
    for (;;) {
      const group = Number(v & 0x7fn);
      groups.push(group);
      v >>= 7n;
      if ((v === 0n && (group & 0x40) === 0) || (v === -1n && (group & 0x40) !== 0)) break;
    }
    const buf = this.#ensure(groups.length);
    for (let i = groups.length - 1; i >= 0; i--) buf[this.#pos++] = groups[i] ?? 0;
    buf[this.#pos - 1] = (buf[this.#pos - 1] ?? 0) | 0x80;
  }

  /** Writes an SBS Boolean: one byte, 0x01 or 0x00. */
  writeBoolean(b: boolean): void {
    const buf = this.#ensure(1);
    buf[this.#pos++] = b ? 1 : 0;
  }

  /** Writes an SBS None: nothing. Present so schema code reads like the schema. */
  writeNone(): void {}

  /** Writes an SBS Float: IEEE 754 binary64, big-endian. */
  writeFloat(x: number): void {
    this.#ensure(8);
    this.#view ??= new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.byteLength);
    this.#view.setFloat64(this.#pos, x, false);
    this.#pos += 8;
  }

  /** Writes an SBS Array header (the item count); the caller then writes the items. */
  writeArrayLength(count: number): void {
    if (!(count >= 0)) throw invalidArgument(`SBS Array: invalid length ${count}`);
    this.writeInteger(count);
  }

  /** Writes an SBS Choice header (the 0-based index of the chosen entry); the caller then writes
   * the entry's value. */
  writeChoice(index: number): void {
    if (!(index >= 0)) throw invalidArgument(`SBS Choice: invalid index ${index}`);
    this.writeInteger(index);
  }

  /** Writes SBS Bytes: Integer(length) then the bytes (copied). */
  writeBytes(bytes: Uint8Array): void {
    this.writeInteger(bytes.length);
    this.writeRaw(bytes);
  }

  /** Copies `bytes` with no length prefix (pre-encoded SBS, frame assembly). */
  writeRaw(bytes: Uint8Array): void {
    const buf = this.#ensure(bytes.length);
    buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /**
   * Writes an SBS String: Integer(UTF-8 byte length) then UTF-8. Lone surrogates are written as
   * U+FFFD (TextEncoder semantics), so such strings don't round-trip unchanged.
   */
  writeString(s: string): void {
    const n = s.length;
    if (n <= ASCII_LOOP_MAX && this.#writeAscii(s, n)) return;
    // UTF-8 takes n to 3n bytes. Assume the prefix for n bytes (exact for ASCII) and move the
    // bytes right in the rare case the real length needs a longer prefix.
    const guess = integerByteLength(n);
    const buf = this.#ensure(integerByteLength(n * 3) + n * 3);
    const start = this.#pos + guess;
    const written = textEncoder.encodeInto(s, buf.subarray(start)).written;
    const prefix = integerByteLength(written);
    if (prefix !== guess) buf.copyWithin(this.#pos + prefix, start, start + written);
    writeIntegerAt(buf, this.#pos, prefix, written);
    this.#pos += prefix + written;
  }

  /** Writes `s` if it is all ASCII; returns false (having written nothing durable) otherwise. */
  #writeAscii(s: string, n: number): boolean {
    const buf = this.#ensure(1 + n);
    const start = this.#pos + 1; // n ≤ ASCII_LOOP_MAX < 64: one-byte length prefix
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[start + i] = c;
    }
    buf[this.#pos] = 0x80 | n;
    this.#pos = start + n;
    return true;
  }
}
