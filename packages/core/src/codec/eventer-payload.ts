import type { EventPayload, JsonValue } from '../model/payload.js';
import { payloadEncoding, rememberPayloadEncoding, retainedCopy } from './encodings.js';
import { jsonUtf8 } from './json-writer.js';
import { SbsReader } from './sbs-reader.js';
import type { SbsWriter } from './sbs-writer.js';

/*
 * SBS codec of `HatEventer.EventPayload` (hat-event.md §1.6):
 * `Choice { binary: Record { type: String, data: Bytes }, json: String }`.
 */

const PAYLOAD_BINARY = 0;
const PAYLOAD_JSON = 1;
const OPTIONAL_NONE = 0;
const OPTIONAL_VALUE = 1;

/**
 * `HatEventer.EventPayload = Choice { binary: Record { type: String, data: Bytes }, json: String }`.
 * The JSON text is what `JSON.stringify(data)` gives (see `jsonUtf8`); NaN, ±Infinity and other
 * non-JSON values are an ERR_INVALID_ARGUMENT error (Python's `allow_nan=False`).
 */
export function writeEventPayload(w: SbsWriter, payload: EventPayload): void {
  const encoded = payloadEncoding(payload);
  if (encoded !== undefined) {
    w.writeRaw(encoded);
  } else if (payload.type === 'json') {
    w.writeChoice(PAYLOAD_JSON);
    // A String is Integer(byte length) + UTF-8, the same bytes as Bytes of the UTF-8 text.
    w.writeBytes(jsonUtf8(payload.data));
  } else {
    w.writeChoice(PAYLOAD_BINARY);
    w.writeString(payload.binaryType);
    w.writeBytes(payload.data);
  }
}

/**
 * The JSON text a JSON payload was decoded from, when its encoding was remembered (see
 * `readEventPayload`); `undefined` otherwise. Lets a sender pass the client's text on instead of
 * `JSON.stringify`-ing the data again.
 */
export function rememberedJsonText(payload: EventPayload): string | undefined {
  const encoded = payload.type === 'json' ? payloadEncoding(payload) : undefined;
  if (encoded === undefined) return undefined;
  const r = new SbsReader(encoded);
  if (r.readChoice(2, 'HatEventer.EventPayload') !== PAYLOAD_JSON) return undefined;
  return r.readString('HatEventer.EventPayloadJson');
}

/**
 * Reads a payload; binary data is copied, JSON text may be any valid JSON. With the reader's
 * `rememberPayloads`, a JSON payload remembers a copy of its encoding; its text is then sent on
 * as it came (a client's spacing survives), which is what `JSON.parse` accepted.
 */
export function readEventPayload(r: SbsReader): EventPayload {
  const start = r.position;
  if (r.readChoice(2, 'HatEventer.EventPayload') === PAYLOAD_JSON) {
    const text = r.readString('HatEventer.EventPayloadJson');
    let payload: EventPayload;
    try {
      payload = { type: 'json', data: JSON.parse(text) as JsonValue };
    } catch (error) {
      throw r.fail('HatEventer.EventPayloadJson', 'invalid JSON text', error);
    }
    if (r.rememberPayloads)
      rememberPayloadEncoding(payload, retainedCopy(r.input(start, r.position)));
    return payload;
  }
  const binaryType = r.readString('HatEventer.EventPayloadBinary.type');
  const data = r.readBytes('HatEventer.EventPayloadBinary.data').slice();
  return { type: 'binary', binaryType, data };
}

export function writeOptionalEventPayload(
  w: SbsWriter,
  payload: EventPayload | null | undefined,
): void {
  if (payload == null) {
    w.writeChoice(OPTIONAL_NONE);
  } else {
    w.writeChoice(OPTIONAL_VALUE);
    writeEventPayload(w, payload);
  }
}

export function readOptionalEventPayload(r: SbsReader, field: string): EventPayload | null {
  return r.readChoice(2, field) === OPTIONAL_VALUE ? readEventPayload(r) : null;
}
