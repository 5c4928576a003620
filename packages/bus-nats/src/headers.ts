import { decodeEnvelope } from '@eventum/core';
import type { BusEnvelope, BusEvent, BusPublishOptions } from '@eventum/core';
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

/** The headers of one published envelope. */
export function envelopeHeaders(envelope: BusEnvelope, options: BusPublishOptions): MsgHdrs {
  const h = headers();
  h.set(Header.MsgId, envelope.id);
  h.set(Header.Version, String(envelope.v));
  h.set(Header.Ts, String(envelope.ts));
  if (envelope.type !== '') h.set(Header.Type, envelope.type);
  if (options.traceparent !== undefined) h.set(Header.TraceParent, options.traceparent);
  return h;
}

/**
 * Decodes a received message: the body's envelope (tolerantly), the subject as topic, and the
 * headers filling what the body lacks (a plain NATS publisher may send only headers and a
 * payload). Throws when the body is not JSON.
 */
export function decodeMessage(msg: ReceivedMessage): BusEvent {
  const body =
    msg.data.length === 0 ? {} : (JSON.parse(new TextDecoder().decode(msg.data)) as unknown);
  const h = msg.headers;
  const ts = h?.get(Header.Ts);
  return decodeEnvelope(msg.subject, body, {
    ...(h?.has(Header.MsgId) === true ? { id: h.get(Header.MsgId) } : {}),
    ...(h?.has(Header.Type) === true ? { type: h.get(Header.Type) } : {}),
    ...(ts !== undefined && ts !== '' ? { ts: Number(ts) } : {}),
  });
}
