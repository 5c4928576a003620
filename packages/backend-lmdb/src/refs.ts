import { ProtocolError } from '@eventum/core';

import { TIMESERIES_KEY_BYTES, U64_BYTES, readU64, writeU64 } from './keys.js';

/*
 * REF values (hat-event.md §4.4.3): where an event is stored, as concatenated references, each a
 * one-byte sub-database id followed by that sub-database's key: `4 ‖ type ref (u64)` for
 * LATEST_DATA, `6 ‖ timeseries key (44 B)` for TIMESERIES_DATA.
 */

/** Sub-database id of LATEST_DATA inside REF values. */
export const LATEST_REF_TAG = 4;
/** Sub-database id of TIMESERIES_DATA inside REF values. */
export const TIMESERIES_REF_TAG = 6;

/** A place an event is stored. */
export type EventRef =
  | { readonly kind: 'latest'; readonly typeRef: number }
  | { readonly kind: 'timeseries'; readonly key: Uint8Array };

/** Encodes the references of one event: its latest slot (if any) and its timeseries keys. */
export function encodeRefs(latestTypeRef: number | null, keys: readonly Uint8Array[]): Buffer {
  const value = Buffer.allocUnsafe(refsByteLength(latestTypeRef, keys));
  writeRefs(value, latestTypeRef, keys);
  return value;
}

/** Bytes {@link encodeRefs} takes. */
export function refsByteLength(latestTypeRef: number | null, keys: readonly Uint8Array[]): number {
  return (latestTypeRef === null ? 0 : 1 + U64_BYTES) + keys.length * (1 + TIMESERIES_KEY_BYTES);
}

/** Writes what {@link encodeRefs} returns into `target` from offset 0. */
export function writeRefs(
  target: Uint8Array,
  latestTypeRef: number | null,
  keys: readonly Uint8Array[],
): void {
  let offset = 0;
  if (latestTypeRef !== null) {
    target[offset] = LATEST_REF_TAG;
    writeU64(target, offset + 1, latestTypeRef);
    offset += 1 + U64_BYTES;
  }
  for (const key of keys) {
    target[offset] = TIMESERIES_REF_TAG;
    target.set(key, offset + 1);
    offset += 1 + TIMESERIES_KEY_BYTES;
  }
}

/** Decodes a REF value; throws {@link ProtocolError} on an unknown tag or truncation. */
export function decodeRefs(value: Uint8Array): EventRef[] {
  const refs: EventRef[] = [];
  let offset = 0;
  while (offset < value.length) {
    const tag = value[offset];
    const size = tag === LATEST_REF_TAG ? U64_BYTES : TIMESERIES_KEY_BYTES;
    if (tag !== LATEST_REF_TAG && tag !== TIMESERIES_REF_TAG) {
      throw new ProtocolError(`REF: unknown reference tag ${tag}`, { offset });
    }
    if (offset + 1 + size > value.length) throw new ProtocolError('REF: truncated', { offset });
    const body = value.subarray(offset + 1, offset + 1 + size);
    refs.push(
      tag === LATEST_REF_TAG
        ? { kind: 'latest', typeRef: readU64(body) }
        : { kind: 'timeseries', key: Uint8Array.prototype.slice.call(body) },
    );
    offset += 1 + size;
  }
  return refs;
}

/** Encodes references given as {@link EventRef}s (latest first, then timeseries keys). */
export function encodeEventRefs(refs: readonly EventRef[]): Buffer {
  let latest: number | null = null;
  const keys: Uint8Array[] = [];
  for (const ref of refs) {
    if (ref.kind === 'latest') latest = ref.typeRef;
    else keys.push(ref.key);
  }
  return encodeRefs(latest, keys);
}
