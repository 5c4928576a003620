import { rememberedJsonText } from '../codec/eventer-payload.js';
import { invalidArgument } from '../errors.js';
import type { Event, RegisterEvent } from '../model/event.js';
import type { EventPayload, JsonValue } from '../model/payload.js';
import type { Timestamp } from '../model/timestamp.js';
import { isTimestamp } from '../model/timestamp.js';

/**
 * An event as JSON in the shape `hat-event-manager` prints (snake_case fields, binary data as
 * hex): `{ id: {server, session, instance}, type: [...], timestamp: {s, us}, source_timestamp,
 * payload: {data_type: 'json', data} | {data_type: 'binary', binary_type, data} | null }`. The
 * CLI prints it and the server's bus bridge publishes it as the bus payload.
 */
export function eventToJson(event: Event): { readonly [key: string]: JsonValue } {
  return {
    id: { ...event.id },
    type: [...event.type],
    timestamp: timestampToJson(event.timestamp),
    source_timestamp:
      event.sourceTimestamp === null ? null : timestampToJson(event.sourceTimestamp),
    payload: payloadToJson(event.payload),
  };
}

/**
 * The JSON text of {@link eventToJson}(event), built by hand: a JSON payload's data is the text
 * the client sent when its encoding was remembered (see "Bytes passed through" in
 * docs/architecture.md), so the data is not encoded again. The bus bridge publishes it.
 */
export function eventToJsonText(event: Event): string {
  const { id, timestamp: t, sourceTimestamp: s, payload } = event;
  const source = s === null ? 'null' : `{"s":${s.s},"us":${s.us}}`;
  return `{"id":{"server":${id.server},"session":${id.session},"instance":${id.instance}},"type":${typeJson(event.type)},"timestamp":{"s":${t.s},"us":${t.us}},"source_timestamp":${source},"payload":${payloadJsonText(payload)}}`;
}

const typeTexts = new WeakMap<readonly string[], string>();

/** A type's JSON text; decoders share one frozen array per repeated type, so those are cached. */
function typeJson(type: readonly string[]): string {
  let text = typeTexts.get(type);
  if (text === undefined) {
    text = JSON.stringify(type);
    if (Object.isFrozen(type)) typeTexts.set(type, text);
  }
  return text;
}

function payloadJsonText(payload: EventPayload | null): string {
  if (payload === null || payload.type !== 'json') return JSON.stringify(payloadToJson(payload));
  const data = rememberedJsonText(payload) ?? JSON.stringify(payload.data);
  return `{"data_type":"json","data":${data}}`;
}

function timestampToJson(t: Timestamp): { s: number; us: number } {
  return { s: t.s, us: t.us };
}

function payloadToJson(payload: EventPayload | null): { readonly [key: string]: JsonValue } | null {
  if (payload === null) return null;
  if (payload.type === 'json') return { data_type: 'json', data: payload.data };
  let hex = '';
  for (const byte of payload.data) hex += byte.toString(16).padStart(2, '0');
  return { data_type: 'binary', binary_type: payload.binaryType, data: hex };
}

/**
 * Reads a register event from a bus payload: `payload` (the shape {@link eventToJson} writes; a
 * value without `data_type` is taken as JSON data) and `source_timestamp` ({s, us}), both
 * optional. The type comes from the subject, not from the body. Throws `ERR_INVALID_ARGUMENT`
 * naming the bad field.
 */
export function registerEventFromJson(
  type: readonly string[],
  body: { readonly [key: string]: JsonValue },
): RegisterEvent {
  const source = body['source_timestamp'] ?? null;
  if (source !== null && !isTimestamp(source)) {
    throw invalidArgument('source_timestamp must be {s, us}');
  }
  return { type, sourceTimestamp: source, payload: payloadFromJson(body['payload'] ?? null) };
}

function payloadFromJson(value: JsonValue): EventPayload | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || !('data_type' in value)) {
    return { type: 'json', data: value };
  }
  const object = value;
  if (object['data_type'] === 'json') return { type: 'json', data: object['data'] ?? null };
  const hex = object['data'];
  const binaryType = object['binary_type'] ?? '';
  if (
    object['data_type'] !== 'binary' ||
    typeof hex !== 'string' ||
    typeof binaryType !== 'string' ||
    !/^(?:[0-9a-fA-F]{2})*$/.test(hex)
  ) {
    throw invalidArgument(
      'payload must be {data_type: "json", data} or {data_type: "binary", binary_type, data: hex}',
    );
  }
  const data = new Uint8Array(hex.length / 2);
  for (let i = 0; i < data.length; i++) data[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return { type: 'binary', binaryType, data };
}
