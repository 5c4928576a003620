import type { Event, RegisterEvent } from '../model/event.js';
import type { EventPayload } from '../model/payload.js';
import type { Timestamp } from '../model/timestamp.js';
import {
  eventEncoding,
  payloadEncoding,
  rememberPayloadEncoding,
  retainedCopy,
} from './encodings.js';
import { writeEventPayload } from './eventer-payload.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame.js';
import { SbsWriter, integerByteLength } from './sbs-writer.js';

/*
 * The size and depth limits that keep every stored event sendable (docs/architecture.md,
 * "Back-pressure and limits"): an event is checked when it is registered, so a notification,
 * a register response or a query page can always carry it in a frame its receiver accepts, and
 * its JSON payload can always be decoded by Hat's Python client.
 */

/** Deepest nesting of arrays and objects a JSON payload may have (`[]` is 1, `[[1]]` is 2).
 * Python's default recursion limit (1,000) bounds what Hat's client decodes. */
export const MAX_PAYLOAD_DEPTH = 512;

/**
 * Bytes of a message that are not its events: the chatter envelope (id, first, three flags, the
 * message type name, the length of its data) and the eventer message's own fields (a choice, an
 * event count, `moreFollows`). The worst case is under 80 bytes; this keeps a margin.
 */
export const MESSAGE_OVERHEAD = 256;

/** Most bytes an event's id and timestamp take (three Integers and a Timestamp, 8 bytes each at
 * most for safe integers, 3 for microseconds). */
export const MAX_EVENT_HEADER_SIZE = 4 * 8 + 3;

/** Bytes of encoded events one message may carry when frames are at most `maxFrameSize`. */
export function eventBudget(maxFrameSize: number): number {
  return maxFrameSize - MESSAGE_OVERHEAD;
}

/** The largest event (its `HatEventer.Event` encoding) with 64 MiB frames. */
export const DEFAULT_MAX_EVENT_SIZE = eventBudget(DEFAULT_MAX_FRAME_SIZE);

const writer = new SbsWriter();

/**
 * The `HatEventer.EventPayload` encoding of `payload`: the remembered one, else encoded now and
 * remembered (so storing it later copies these bytes). Throws ERR_INVALID_ARGUMENT for a payload
 * that is not JSON (see `jsonUtf8`), including one too deep for `JSON.stringify`.
 */
export function payloadBytes(payload: EventPayload): Uint8Array {
  const remembered = payloadEncoding(payload);
  if (remembered !== undefined) return remembered;
  writer.reset();
  writeEventPayload(writer, payload);
  const bytes = retainedCopy(writer.finish());
  rememberPayloadEncoding(payload, bytes);
  return bytes;
}

/**
 * Why `event` breaks a limit (its size with the largest id and timestamp over `maxEventSize`,
 * or its JSON payload nested deeper than {@link MAX_PAYLOAD_DEPTH}), or `undefined`.
 */
export function eventLimitProblem(event: RegisterEvent, maxEventSize: number): string | undefined {
  let payloadSize = 1;
  const payload = event.payload ?? null;
  if (payload !== null) {
    let bytes: Uint8Array;
    try {
      bytes = payloadBytes(payload);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    payloadSize += bytes.length;
    if (payload.type === 'json' && jsonTooDeep(bytes, MAX_PAYLOAD_DEPTH)) {
      return `JSON payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels`;
    }
  }
  const size =
    MAX_EVENT_HEADER_SIZE +
    typeSize(event.type) +
    optionalTimestampSize(event.sourceTimestamp ?? null) +
    payloadSize;
  if (size > maxEventSize) {
    return `event of ${size} bytes exceeds the maximum event size of ${maxEventSize} bytes`;
  }
  return undefined;
}

/** The length of the `HatEventer.Event` encoding of `event`, exact; payloads are encoded (and
 * remembered) only when no encoding is remembered. */
export function encodedEventSize(event: Event): number {
  const encoded = eventEncoding(event);
  if (encoded !== undefined) return encoded.length;
  const { id } = event;
  return (
    integerByteLength(id.server) +
    integerByteLength(id.session) +
    integerByteLength(id.instance) +
    typeSize(event.type) +
    timestampSize(event.timestamp) +
    optionalTimestampSize(event.sourceTimestamp) +
    (event.payload === null ? 1 : 1 + payloadBytes(event.payload).length)
  );
}

function typeSize(type: readonly string[]): number {
  let size = integerByteLength(type.length);
  for (const segment of type) {
    const n = utf8Length(segment);
    size += integerByteLength(n) + n;
  }
  return size;
}

function timestampSize(t: Timestamp): number {
  return integerByteLength(t.s) + integerByteLength(t.us);
}

function optionalTimestampSize(t: Timestamp | null): number {
  return t === null ? 1 : 1 + timestampSize(t);
}

/** Bytes of the UTF-8 encoding of `s` (`TextEncoder`'s: a lone surrogate takes 3). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Whether the JSON text in `bytes` (a JSON `EventPayload` encoding: choice, length, text)
 * nests arrays and objects deeper than `limit`. One pass over the bytes, no recursion, so it
 * never fails however deep the text is.
 */
export function jsonTooDeep(bytes: Uint8Array, limit: number): boolean {
  let i = 1; // the choice index, then the Integer length: its last byte has bit 0x80 set
  while (i < bytes.length && ((bytes[i] as number) & 0x80) === 0) i++;
  let depth = 0;
  let inString = false;
  for (i++; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
