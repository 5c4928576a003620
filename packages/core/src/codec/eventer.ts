import type { Event, EventHeader } from '../model/event.js';
import type { EventType } from '../model/event-type.js';
import type { ChatterHeader } from './chatter.js';
import { encodeChatterFrameWith } from './chatter.js';
import type { EventerMsg } from './eventer-messages.js';
import { readEventerMsg, writeEventerMsg } from './eventer-messages.js';
import {
  readEvent,
  readEventHeader,
  readEventId,
  readEventType,
  writeEvent,
} from './eventer-model.js';
import { SbsReader } from './sbs-reader.js';
import type { SbsReaderOptions } from './sbs-reader.js';
import { SbsWriter } from './sbs-writer.js';

/**
 * Public eventer codec API (hat-event.md §2.3): whole messages by SBS type name, the framed
 * chatter form, and single events (the LMDB value encoding of `HatEventer.Event`).
 *
 * Encoders use one module-level {@link SbsWriter}: results are the caller's but may share an
 * ArrayBuffer with other results (see SbsWriter). They are not reentrant (a JSON payload's `toJSON`
 * must not call back into them). Decoders never alias their input.
 */

// 64 KiB slabs: the LMDB backend encodes every registered event here, and a slab costs an
// allocation whatever its size.
const sharedWriter = new SbsWriter(64 * 1024);

/** Encodes the SBS body of `msg` (the chatter `data.data`). */
export function encodeEventerMsg(msg: EventerMsg): Uint8Array {
  sharedWriter.reset();
  writeEventerMsg(sharedWriter, msg);
  return sharedWriter.finish();
}

/**
 * Decodes the body of an eventer message whose chatter `data.type` is `typeName`. Unknown type
 * names, malformed or trailing bytes raise ProtocolError. The result never aliases `body`.
 * `options.rememberPayloads` is for a server (see SbsReaderOptions).
 */
export function decodeEventerMsg(
  typeName: string,
  body: Uint8Array,
  options?: SbsReaderOptions,
): EventerMsg {
  return readEventerMsg(typeName, body, options);
}

/** Encodes `msg` inside a chatter envelope with its frame header, in one buffer, ready to send. */
export function encodeEventerFrame(header: ChatterHeader, msg: EventerMsg): Uint8Array {
  return encodeChatterFrameWith(header, msg.type, (w) => writeEventerMsg(w, msg));
}

/** Encodes one `HatEventer.Event`. */
export function encodeEvent(event: Event): Uint8Array {
  sharedWriter.reset();
  writeEvent(sharedWriter, event);
  return sharedWriter.finish();
}

/** Encodes each event separately (e.g. the LMDB values of one batch). */
export function encodeEvents(events: readonly Event[]): Uint8Array[] {
  sharedWriter.reset();
  return events.map((event) => {
    writeEvent(sharedWriter, event);
    return sharedWriter.finish();
  });
}

/** Decodes a `HatEventer.Event` up to its payload (which is not checked). */
export function decodeEventHeader(bytes: Uint8Array): EventHeader {
  return readEventHeader(new SbsReader(bytes));
}

/** Decodes only the type of a `HatEventer.Event`. */
export function decodeEventTypeOf(bytes: Uint8Array): EventType {
  const r = new SbsReader(bytes);
  readEventId(r);
  return readEventType(r, 'HatEventer.Event.type');
}

/** Decodes exactly one `HatEventer.Event` (trailing bytes are an error). */
export function decodeEvent(bytes: Uint8Array): Event {
  const r = new SbsReader(bytes);
  const event = readEvent(r);
  r.expectEnd('HatEventer.Event');
  return event;
}
