import { BUS_ENVELOPE_VERSION, decodeEnvelope } from '@eventum/core';
import type {
  BusDelivery,
  BusEvent,
  BusPayload,
  BusPublishOptions,
  EnvelopeFields,
} from '@eventum/core';
import { headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** The parts of a NATS or JetStream message the bus reads. */
export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs | undefined;
}

/**
 * Header names. Version 2 of the wire format writes only `traceparent` (when given) and, on
 * JetStream, `Nats-Msg-Id` (the server de-duplicates on it). Version 1 also wrote the type,
 * version and timestamp as headers; the bus still reads them from v1 and plain publishers.
 */
export const Header = {
  /** The envelope id; JetStream de-duplicates on it. */
  MsgId: 'Nats-Msg-Id',
  Type: 'Eventum-Type',
  Version: 'Eventum-V',
  Ts: 'Eventum-Ts',
  TraceParent: 'traceparent',
} as const;

/**
 * The message body of version 2: `{"v":2,"id":…,"type":…,"ms":…,"payload":…}`. No `topic`: the
 * subject is the topic (receivers never trusted the body's); `type` only when not empty; the
 * time as `ms`, epoch milliseconds, an integer unless the publisher gave a finer `ts` (writing
 * and parsing an integer costs less than the float seconds of `ts`). Built by hand around
 * `JSON.stringify(payload)`, or around `payloadJson` (the payload already encoded, passed
 * through as it is), with no envelope object in between: this runs once per publish.
 *
 * Handed to nats.js as bytes, not as a string: given a string, nats.js encodes it with
 * `TextEncoder.encode`, which on Node 20 makes a new `ArrayBuffer` for every message, where
 * `Buffer.from` cuts the bytes from a shared pool. In CPU profiles of the bench's throughput
 * rounds the body's encoding fell from 15% of the process's time to 5% (docs/bus.md).
 */
export function encodeBody(id: string, payload: BusPayload, options: BusPublishOptions): Buffer {
  // An id the publisher did not give came from `newEnvelopeId`: hex, nothing to escape.
  const idJson = options.id === undefined ? `"${id}"` : JSON.stringify(id);
  const payloadJson = options.payloadJson ?? JSON.stringify(payload);
  const ms = options.ts === undefined ? nowMillis() : millis(options.ts);
  return Buffer.from(
    `{"v":${BUS_ENVELOPE_VERSION},"id":${idJson},${typeField(options.type)}"ms":${ms},"payload":${payloadJson}}`,
  );
}

// A bus publishes most events with one type, and many in the same millisecond: the texts of the
// last of each are kept rather than written again for every message.
let lastType = '';
let lastTypeField = '';
let lastMs = 0;
let lastMsText = '0';

/** `"type":<json>,` or nothing for the empty type. */
function typeField(type = ''): string {
  if (type !== lastType) {
    lastType = type;
    lastTypeField = type === '' ? '' : `"type":${JSON.stringify(type)},`;
  }
  return lastTypeField;
}

/** The text of `Date.now()`. */
function nowMillis(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastMsText = String(ms);
  }
  return lastMsText;
}

/** Epoch seconds as the text of epoch milliseconds: an integer when `ts` holds no finer part. */
function millis(ts: number): string {
  if (!Number.isFinite(ts)) return 'null';
  const ms = ts * 1000;
  const whole = Math.round(ms);
  // `Date.now() / 1000 * 1000` may come back a hair off the integer it was.
  return String(Math.abs(ms - whole) < 1e-3 ? whole : ms);
}

/** Headers of one publish: `traceparent` when given, none otherwise (core NATS). Throws, as
 * nats.js does, for a value with a line break. */
export function traceHeaders(options: BusPublishOptions): MsgHdrs | undefined {
  if (options.traceparent === undefined) return undefined;
  const h = headers();
  h.set(Header.TraceParent, options.traceparent);
  return h;
}

/**
 * Decodes a received message: the body's envelope (tolerantly), `topic` (by default the
 * subject). A body of version 2 or later is complete (`ms` gives `ts`); for an older or plain one
 * (no `v`) the v1 headers fill what the body lacks (a plain NATS publisher may send only headers
 * and a payload). Throws when the body is not JSON.
 */
export function decodeMessage(
  msg: ReceivedMessage,
  topic: string = msg.subject,
  delivery?: BusDelivery,
): BusEvent {
  const body = msg.data.length === 0 ? {} : (JSON.parse(decoder.decode(msg.data)) as unknown);
  const event = isObject(body) ? readComplete(body, topic, delivery) : undefined;
  if (event !== undefined) return event;
  const older = decodeOlder(msg, topic, body);
  return delivery === undefined ? older : { ...older, delivery };
}

/**
 * The event of a well-formed body of version 2 or later, built at once (this runs once per
 * delivered message); `undefined` when any field is missing or ill-typed, for the tolerant path.
 */
function readComplete(
  body: Record<string, unknown>,
  topic: string,
  delivery: BusDelivery | undefined,
): BusEvent | undefined {
  const { v, id, type, ms, payload, ts } = body;
  // A `ts` next to `ms` is read by the tolerant path, as before (it prefers `ts`).
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 2 || ts !== undefined) return undefined;
  if (typeof id !== 'string' || id === '' || typeof ms !== 'number' || !isObject(payload))
    return undefined;
  if (type !== undefined && typeof type !== 'string') return undefined;
  const fields = { v, id, topic, type: type ?? '', ts: ms / 1000, payload: payload as BusPayload };
  return delivery === undefined ? fields : { ...fields, delivery };
}

/** The tolerant path: a version 1 or plain body, or a newer one with fields missing. */
function decodeOlder(msg: ReceivedMessage, topic: string, body: unknown): BusEvent {
  if (typeof body !== 'object' || body === null) return decodeEnvelope(topic, body);
  const record = body as Record<string, unknown>;
  const v = record['v'];
  if (typeof v === 'number' && v >= 2) {
    const ms = record['ms'];
    return decodeEnvelope(topic, body, typeof ms === 'number' ? { ts: ms / 1000 } : {});
  }
  // Headers are parsed only when the body may lack a field they carry (v1, a plain publisher).
  const complete = 'id' in record && 'type' in record && 'ts' in record;
  return decodeEnvelope(topic, body, complete ? undefined : headerFields(msg.headers));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerFields(h: MsgHdrs | undefined): EnvelopeFields {
  const ts = h?.get(Header.Ts);
  return {
    ...(h?.has(Header.MsgId) === true ? { id: h.get(Header.MsgId) } : {}),
    ...(h?.has(Header.Type) === true ? { type: h.get(Header.Type) } : {}),
    ...(ts !== undefined && ts !== '' ? { ts: Number(ts) } : {}),
  };
}

const decoder = new TextDecoder();
