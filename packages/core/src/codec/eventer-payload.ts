import { invalidArgument } from '../errors.js';
import type { EventPayload, JsonValue } from '../model/payload.js';
import type { SbsReader } from './sbs-reader.js';
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
 * The JSON text is `JSON.stringify(data)`; NaN, ±Infinity and other non-JSON values are an
 * ERR_INVALID_ARGUMENT error (Python's `allow_nan=False`).
 */
export function writeEventPayload(w: SbsWriter, payload: EventPayload): void {
  if (payload.type === 'json') {
    w.writeChoice(PAYLOAD_JSON);
    w.writeString(stringifyJson(payload.data));
  } else {
    w.writeChoice(PAYLOAD_BINARY);
    w.writeString(payload.binaryType);
    w.writeBytes(payload.data);
  }
}

/** Reads a payload; binary data is copied, JSON text may be any valid JSON. */
export function readEventPayload(r: SbsReader): EventPayload {
  if (r.readChoice(2, 'HatEventer.EventPayload') === PAYLOAD_JSON) {
    const text = r.readString('HatEventer.EventPayloadJson');
    try {
      return { type: 'json', data: JSON.parse(text) as JsonValue };
    } catch (error) {
      throw r.fail('HatEventer.EventPayloadJson', 'invalid JSON text', error);
    }
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

export function readOptionalEventPayload(
  r: SbsReader,
  field: string,
): EventPayload | null {
  return r.readChoice(2, field) === OPTIONAL_VALUE ? readEventPayload(r) : null;
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
  if (text === undefined)
    throw invalidArgument('JSON payload: value is not a JSON value');
  if (text.includes('null')) assertStrictJson(data);
  return text;
}

function assertStrictJson(value: unknown): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw invalidArgument(`JSON payload: ${value} is not valid JSON`);
  } else if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (
        item === undefined ||
        typeof item === 'function' ||
        typeof item === 'symbol'
      ) {
        throw invalidArgument(
          `JSON payload: array item of type ${typeof item} is not valid JSON`,
        );
      }
      assertStrictJson(item);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) assertStrictJson(item);
  }
}
