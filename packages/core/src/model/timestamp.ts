import { ProtocolError, invalidArgument } from '../errors.js';

/**
 * A point in time: `s` whole seconds since 1970-01-01T00:00:00Z (may be negative) and
 * `us` microseconds in [0, 1_000_000). Ordered lexicographically by (s, us).
 * `s` is a safe integer (|s| ≤ 2^53 − 1); decoders clamp wider values to the bounds.
 */
export interface Timestamp {
  readonly s: number;
  readonly us: number;
}

/** Microseconds per second. */
const US_PER_S = 1_000_000;
/** 2^32, the weight of the high 32-bit word of a 64-bit integer. */
const WORD = 0x1_0000_0000;
/** High words of ±2^53: a decoded `s` at or beyond these is not a safe integer. */
const HI_LIMIT = 0x20_0000;

/**
 * The earliest timestamp eventum can represent, `{ s: -(2^53 − 1), us: 0 }`. Hat's own minimum
 * (`s = -2^63`) is wider; its bytes decode to this value.
 */
export const MIN_TIMESTAMP: Timestamp = Object.freeze({
  s: Number.MIN_SAFE_INTEGER,
  us: 0,
});

/**
 * The latest timestamp eventum can represent, `{ s: 2^53 − 1, us: 999_999 }`. Hat's own maximum
 * (`s = 2^63 − 1`) is wider; its bytes decode to this value.
 */
export const MAX_TIMESTAMP: Timestamp = Object.freeze({
  s: Number.MAX_SAFE_INTEGER,
  us: 999_999,
});

/** Size in bytes of {@link timestampToBytes}' encoding. */
export const TIMESTAMP_BYTES = 12;

/**
 * Orders timestamps chronologically: negative if `a` is earlier, 0 if equal, positive if later.
 * Assumes both are valid ({@link isTimestamp}); it does not check.
 */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.s !== b.s) return a.s < b.s ? -1 : 1;
  return a.us - b.us;
}

/** True when both fields are equal. Compares values, never identity. */
export function timestampEquals(a: Timestamp, b: Timestamp): boolean {
  return a.s === b.s && a.us === b.us;
}

/** The earliest of the given timestamps (the first of equal ones). Needs at least one. */
export function timestampMin(first: Timestamp, ...rest: Timestamp[]): Timestamp {
  let min = first;
  for (const t of rest) if (compareTimestamps(t, min) < 0) min = t;
  return min;
}

/** The latest of the given timestamps (the first of equal ones). Needs at least one. */
export function timestampMax(first: Timestamp, ...rest: Timestamp[]): Timestamp {
  let max = first;
  for (const t of rest) if (compareTimestamps(t, max) > 0) max = t;
  return max;
}

/**
 * Checks a value from outside (JSON, config, user input): an object whose `s` is a safe integer
 * and `us` an integer in [0, 1_000_000). Extra properties are allowed and not checked.
 */
export function isTimestamp(value: unknown): value is Timestamp {
  if (typeof value !== 'object' || value === null) return false;
  const { s, us } = value as { s?: unknown; us?: unknown };
  return (
    Number.isSafeInteger(s) &&
    typeof us === 'number' &&
    Number.isInteger(us) &&
    us >= 0 &&
    us < US_PER_S
  );
}

/**
 * Hat's 12-byte encoding: `u64 BE (s + 2^63)` then `u32 BE us`. Byte order equals chronological
 * order, so it sorts correctly as a storage key. Does not validate `t`.
 */
export function timestampToBytes(t: Timestamp): Uint8Array {
  const bytes = new Uint8Array(TIMESTAMP_BYTES);
  writeTimestampBytes(bytes, 0, t);
  return bytes;
}

/**
 * Writes the 12-byte encoding of {@link timestampToBytes} into `target` at `offset` (for building
 * keys without copies) and returns the offset just after it. Throws `ERR_INVALID_ARGUMENT` if the
 * 12 bytes do not fit; does not validate `t`.
 */
export function writeTimestampBytes(target: Uint8Array, offset: number, t: Timestamp): number {
  if (offset < 0 || offset + TIMESTAMP_BYTES > target.length) {
    throw invalidArgument(`timestamp bytes do not fit at offset ${offset}`);
  }
  // Two's complement split of s into 32-bit words; adding 2^63 flips the top bit.
  const hi = Math.floor(t.s / WORD);
  writeU32(target, offset, (hi ^ 0x8000_0000) >>> 0);
  writeU32(target, offset + 4, t.s - hi * WORD);
  writeU32(target, offset + 8, t.us);
  return offset + TIMESTAMP_BYTES;
}

/**
 * Decodes the 12-byte encoding at `offset`. Seconds outside the safe-integer range clamp to
 * {@link MIN_TIMESTAMP} / {@link MAX_TIMESTAMP} (this keeps order, not identity). Throws
 * {@link ProtocolError} if fewer than 12 bytes remain or `us` is not below 1_000_000.
 */
export function timestampFromBytes(bytes: Uint8Array, offset = 0): Timestamp {
  if (offset < 0 || offset + TIMESTAMP_BYTES > bytes.length) {
    throw new ProtocolError('truncated timestamp', { offset });
  }
  const us = readU32(bytes, offset + 8);
  if (us >= US_PER_S) {
    throw new ProtocolError(`timestamp microseconds out of range: ${us}`, {
      offset,
    });
  }
  const hi = (readU32(bytes, offset) ^ 0x8000_0000) | 0;
  if (hi >= HI_LIMIT) return MAX_TIMESTAMP;
  const s = hi * WORD + readU32(bytes, offset + 4);
  if (hi < -HI_LIMIT || s < Number.MIN_SAFE_INTEGER) return MIN_TIMESTAMP;
  return { s, us };
}

/**
 * Seconds since the epoch as a float (`s + us * 1e-6`, as Hat computes it). Loses microsecond
 * precision once |s| is beyond about 2^33 (year ≈ 2242); use bytes for exact storage.
 */
export function timestampToFloat(t: Timestamp): number {
  return t.s + t.us * 1e-6;
}

/**
 * Hat's float decoding: floor to whole seconds, round the fraction to microseconds (half to
 * even, like Python), carrying 1_000_000 into `s`. Throws `ERR_INVALID_ARGUMENT` for non-finite
 * input or seconds beyond the safe-integer range.
 */
export function timestampFromFloat(ts: number): Timestamp {
  if (!Number.isFinite(ts)) throw invalidArgument(`timestamp float is not finite: ${ts}`);
  // `+ 0` turns -0 into 0.
  let s = Math.trunc(ts) + 0;
  if (ts < 0) s -= 1;
  const us = roundHalfEven((ts - s) * US_PER_S);
  return checked(us === US_PER_S ? { s: s + 1, us: 0 } : { s, us });
}

/**
 * The UTC instant as a `Date`. `Date` has millisecond precision, so `us` is floored to whole
 * milliseconds. Throws `ERR_INVALID_ARGUMENT` outside `Date`'s range (±8.64e15 ms).
 */
export function timestampToDate(t: Timestamp): Date {
  const date = new Date(t.s * 1000 + Math.floor(t.us / 1000));
  if (Number.isNaN(date.getTime())) {
    throw invalidArgument(`timestamp outside the Date range: s=${t.s}`);
  }
  return date;
}

/**
 * The timestamp of a `Date` (always UTC; `Date` has no naive form). Uses floor division, so
 * 1969-12-31T23:59:50Z is `{ s: -10, us: 0 }`: this fixes Hat's off-by-one for negative whole
 * seconds. Throws `ERR_INVALID_ARGUMENT` for an invalid `Date`.
 */
export function timestampFromDate(date: Date): Timestamp {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw invalidArgument('timestamp from an invalid Date');
  return fromMilliseconds(ms);
}

/**
 * `t` plus `seconds` (may be negative), as Hat computes it: the whole part adds to `s`, the
 * fraction is rounded to microseconds (half to even), then the result is normalised. Throws
 * `ERR_INVALID_ARGUMENT` for non-finite `seconds` or a result beyond the safe-integer range.
 */
export function timestampAdd(t: Timestamp, seconds: number): Timestamp {
  if (!Number.isFinite(seconds)) throw invalidArgument(`seconds is not finite: ${seconds}`);
  const whole = Math.trunc(seconds);
  const us = t.us + roundHalfEven((seconds - whole) * US_PER_S);
  const carry = Math.floor(us / US_PER_S);
  return checked({ s: t.s + whole + carry, us: us - carry * US_PER_S });
}

function fromMilliseconds(ms: number): Timestamp {
  const s = Math.floor(ms / 1000);
  return { s, us: (ms - s * 1000) * 1000 };
}

/** Python's `round()`: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checked(t: Timestamp): Timestamp {
  if (!Number.isSafeInteger(t.s)) {
    throw invalidArgument(`timestamp seconds outside the safe-integer range: ${t.s}`);
  }
  return t;
}

function writeU32(target: Uint8Array, offset: number, word: number): void {
  target[offset] = word >>> 24;
  target[offset + 1] = (word >>> 16) & 0xff;
  target[offset + 2] = (word >>> 8) & 0xff;
  target[offset + 3] = word & 0xff;
}

/** Callers have checked the bounds, hence the non-null assertions. */
function readU32(bytes: Uint8Array, offset: number): number {
  const b0 = bytes[offset]!;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  return b0 * 0x100_0000 + ((b1 << 16) | (b2 << 8) | b3);
}
