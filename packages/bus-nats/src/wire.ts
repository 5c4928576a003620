import { BUS_ENVELOPE_VERSION, decodeEnvelope } from '@eventum/core';
import type { BusEnvelope, BusEvent, BusPublishOptions, EnvelopeFields } from '@eventum/core';
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
 * through as it is).
 */
export function encodeBody(envelope: BusEnvelope, payloadJson?: string): string {
  const { id, type } = envelope;
  const payload = payloadJson ?? JSON.stringify(envelope.payload);
  const typeField = type === '' ? '' : `"type":${JSON.stringify(type)},`;
  return `{"v":${BUS_ENVELOPE_VERSION},"id":${JSON.stringify(id)},${typeField}"ms":${millis(envelope.ts)},"payload":${payload}}`;
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
 * Decodes a received message: the body's envelope (tolerantly), the subject as topic. A body of
 * version 2 or later is complete (`ms` gives `ts`); for an older or plain one (no `v`) the v1 headers fill what
 * the body lacks (a plain NATS publisher may send only headers and a payload). Throws when the
 * body is not JSON.
 */
export function decodeMessage(msg: ReceivedMessage): BusEvent {
  const body = msg.data.length === 0 ? {} : (JSON.parse(decoder.decode(msg.data)) as unknown);
  if (typeof body !== 'object' || body === null) return decodeEnvelope(msg.subject, body);
  const record = body as Record<string, unknown>;
  const v = record['v'];
  if (typeof v === 'number' && v >= 2) {
    const ms = record['ms'];
    return decodeEnvelope(msg.subject, body, typeof ms === 'number' ? { ts: ms / 1000 } : {});
  }
  // Headers are parsed only when the body may lack a field they carry (v1, a plain publisher).
  const complete = 'id' in record && 'type' in record && 'ts' in record;
  return decodeEnvelope(msg.subject, body, complete ? undefined : headerFields(msg.headers));
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
