import { TIMESTAMP_BYTES, timestampFromBytes, writeTimestampBytes } from '@eventum/core';
import type { EventId, Timestamp } from '@eventum/core';

/*
 * Key encodings (Hat's storage version 0.9, hat-event.md §4.4.3). Integers are u64 big-endian and
 * timestamps use the 12-byte sortable encoding, so LMDB's lexicographic key order is numeric
 * order: a timeseries key `partition ‖ time ‖ id` sorts by (partition, time, id).
 */

/** Bytes of a u64 key (server id, partition id, type ref, settings id). */
export const U64_BYTES = 8;
/** Bytes of an encoded event id: `server ‖ session ‖ instance`, 3 × u64. */
export const EVENT_ID_BYTES = 24;
/** Bytes of a timeseries key: `partition (u64) ‖ time (12) ‖ event id (24)`. */
export const TIMESERIES_KEY_BYTES = U64_BYTES + TIMESTAMP_BYTES + EVENT_ID_BYTES;
/** Offset of the time inside a timeseries key. */
export const KEY_TIME_OFFSET = U64_BYTES;
/** Offset of the event id inside a timeseries key. */
export const KEY_ID_OFFSET = U64_BYTES + TIMESTAMP_BYTES;

const WORD = 0x1_0000_0000;

/** Writes a non-negative safe integer as u64 big-endian. */
export function writeU64(target: Uint8Array, offset: number, n: number): void {
  const hi = Math.floor(n / WORD);
  writeU32(target, offset, hi);
  writeU32(target, offset + 4, n - hi * WORD);
}

/** Reads a u64 big-endian (exact up to 2^53; larger values lose precision). */
export function readU64(bytes: Uint8Array, offset = 0): number {
  return readU32(bytes, offset) * WORD + readU32(bytes, offset + 4);
}

/** The 8-byte key of a u64. */
export function u64Key(n: number): Buffer {
  const key = Buffer.allocUnsafe(U64_BYTES);
  writeU64(key, 0, n);
  return key;
}

export function writeEventId(target: Uint8Array, offset: number, id: EventId): void {
  writeU64(target, offset, id.server);
  writeU64(target, offset + 8, id.session);
  writeU64(target, offset + 16, id.instance);
}

export function readEventId(bytes: Uint8Array, offset = 0): EventId {
  return {
    server: readU64(bytes, offset),
    session: readU64(bytes, offset + 8),
    instance: readU64(bytes, offset + 16),
  };
}

/** The 24-byte key of an event id (REF keys, SYSTEM_LAST_EVENT_ID values). */
export function eventIdKey(id: EventId): Buffer {
  const key = Buffer.allocUnsafe(EVENT_ID_BYTES);
  writeEventId(key, 0, id);
  return key;
}

/** Slab size of {@link timeseriesKey}. */
const KEY_SLAB_BYTES = 64 * 1024;
let keySlab = Buffer.allocUnsafeSlow(KEY_SLAB_BYTES);
let keySlabUsed = 0;

/**
 * The 44-byte timeseries key of an event in `partitionId` at `time`. Keys are cut from 64 KiB
 * slabs: `Buffer.allocUnsafe`'s 8 KiB pool runs out every 186 keys, and a new pool costs more
 * than the keys cut from it. A retained key keeps its slab alive.
 */
export function timeseriesKey(partitionId: number, time: Timestamp, id: EventId): Buffer {
  if (keySlabUsed + TIMESERIES_KEY_BYTES > KEY_SLAB_BYTES) {
    keySlab = Buffer.allocUnsafeSlow(KEY_SLAB_BYTES);
    keySlabUsed = 0;
  }
  const key = keySlab.subarray(keySlabUsed, keySlabUsed + TIMESERIES_KEY_BYTES);
  keySlabUsed += TIMESERIES_KEY_BYTES;
  writeU64(key, 0, partitionId);
  writeTimestampBytes(key, KEY_TIME_OFFSET, time);
  writeEventId(key, KEY_ID_OFFSET, id);
  return key;
}

/** The parts of a timeseries key. */
export interface TimeseriesKeyParts {
  readonly partitionId: number;
  readonly time: Timestamp;
  readonly id: EventId;
}

export function parseTimeseriesKey(key: Uint8Array): TimeseriesKeyParts {
  return {
    partitionId: readU64(key, 0),
    time: timestampFromBytes(key, KEY_TIME_OFFSET),
    id: readEventId(key, KEY_ID_OFFSET),
  };
}

/**
 * The lowest key of `partitionId` at `time` (or of the whole partition when `time` is null):
 * every event of that time sorts at or after it.
 */
export function lowKey(partitionId: number, time: Timestamp | null): Buffer {
  const key = Buffer.alloc(TIMESERIES_KEY_BYTES);
  writeU64(key, 0, partitionId);
  if (time !== null) writeTimestampBytes(key, KEY_TIME_OFFSET, time);
  return key;
}

/**
 * A key just above every event of `partitionId` at `time` (ids of all 0xff bytes never occur), or
 * the start of the next partition when `time` is null. Use as an exclusive upper bound.
 */
export function highKey(partitionId: number, time: Timestamp | null): Buffer {
  if (time === null) return lowKey(partitionId + 1, null);
  const key = Buffer.alloc(TIMESERIES_KEY_BYTES, 0xff);
  writeU64(key, 0, partitionId);
  writeTimestampBytes(key, KEY_TIME_OFFSET, time);
  return key;
}

/** Lexicographic order of byte strings from `offset` on (negative, 0 or positive). */
export function compareKeys(a: Uint8Array, b: Uint8Array, offset = 0): number {
  const n = Math.min(a.length, b.length);
  for (let i = offset; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when `key` starts with the 8-byte prefix of `partitionId`. */
export function inPartition(key: Uint8Array, partitionId: number): boolean {
  return key.length === TIMESERIES_KEY_BYTES && readU64(key, 0) === partitionId;
}

function writeU32(target: Uint8Array, offset: number, word: number): void {
  target[offset] = word >>> 24;
  target[offset + 1] = (word >>> 16) & 0xff;
  target[offset + 2] = (word >>> 8) & 0xff;
  target[offset + 3] = word & 0xff;
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] ?? 0) * 0x100_0000 +
    (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0))
  );
}
