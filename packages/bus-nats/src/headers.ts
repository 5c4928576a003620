import { decodeEnvelope, encodeEnvelope } from '@eventum/core';
import type { BusEnvelope, BusEvent, BusPublishOptions, EnvelopeFields } from '@eventum/core';
import { headers } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';

/** The parts of a NATS or JetStream message the bus reads. */
export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs | undefined;
}

/** Header names the bus writes next to the JSON body. */
export const Header = {
  /** The envelope id; JetStream de-duplicates on it. */
  MsgId: 'Nats-Msg-Id',
  Type: 'Eventum-Type',
  Version: 'Eventum-V',
  Ts: 'Eventum-Ts',
  TraceParent: 'traceparent',
} as const;

/** The headers of one published envelope, as nats.js builds them (JetStream adds its own). */
export function envelopeHeaders(envelope: BusEnvelope, options: BusPublishOptions): MsgHdrs {
  const h = headers();
  h.set(Header.MsgId, envelope.id);
  h.set(Header.Version, String(envelope.v));
  h.set(Header.Ts, String(envelope.ts));
  if (envelope.type !== '') h.set(Header.Type, envelope.type);
  if (options.traceparent !== undefined) h.set(Header.TraceParent, options.traceparent);
  return h;
}

const lineBreak = /[\r\n]/;

/** A message ready for `nc.publish`: the body and its headers. */
export interface EncodedMessage {
  readonly data: Uint8Array;
  readonly headers: MsgHdrs;
}

/**
 * The envelope's body and headers for a core publish, encoded in one UTF-8 pass: the NATS/1.0
 * header block and the JSON body are one string, turned into one pooled `Buffer` whose two
 * halves go to nats.js (it only calls `encode()` on the headers it publishes, and building
 * `MsgHdrs` costs more than the rest of a publish). Falls back to {@link envelopeHeaders}
 * (which rejects them) when a header value holds a line break. `payloadJson` is the payload
 * already encoded, when the caller has it.
 */
export function encodeMessage(
  envelope: BusEnvelope,
  options: BusPublishOptions,
  payloadJson?: string,
): EncodedMessage {
  const body = encodeEnvelope(envelope, payloadJson);
  const { traceparent } = options;
  if (
    lineBreak.test(envelope.id) ||
    lineBreak.test(envelope.type) ||
    (traceparent !== undefined && lineBreak.test(traceparent))
  ) {
    return { data: Buffer.from(body), headers: envelopeHeaders(envelope, options) };
  }
  let block = `NATS/1.0\r\n${Header.MsgId}: ${envelope.id}\r\n${Header.Version}: ${envelope.v}\r\n${Header.Ts}: ${envelope.ts}\r\n`;
  if (envelope.type !== '') block += `${Header.Type}: ${envelope.type}\r\n`;
  if (traceparent !== undefined) block += `${Header.TraceParent}: ${traceparent}\r\n`;
  block += '\r\n';
  const blockBytes = Buffer.byteLength(block);
  const bytes = Buffer.from(block + body);
  const headerBytes = bytes.subarray(0, blockBytes);
  return {
    data: bytes.subarray(blockBytes),
    headers: { encode: () => headerBytes } as unknown as MsgHdrs,
  };
}

/**
 * Decodes a received message: the body's envelope (tolerantly), the subject as topic, and the
 * headers filling what the body lacks (a plain NATS publisher may send only headers and a
 * payload). Throws when the body is not JSON.
 */
export function decodeMessage(msg: ReceivedMessage): BusEvent {
  const body = msg.data.length === 0 ? {} : (JSON.parse(decoder.decode(msg.data)) as unknown);
  const complete =
    typeof body === 'object' && body !== null && 'id' in body && 'type' in body && 'ts' in body;
  // Headers are parsed only when the body lacks a field they may carry (a plain publisher).
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
