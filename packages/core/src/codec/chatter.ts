import { frameHeaderLength, writeFrameHeader } from './frame.js';
import { SbsReader } from './sbs-reader.js';
import { SbsWriter, integerByteLength, writeIntegerAt } from './sbs-writer.js';

/**
 * The chatter message envelope (hat-drivers), spec: hat-event.md §2.1:
 * `HatChatter.Msg = Record { id: Integer, first: Integer, owner: Boolean, token: Boolean,
 * last: Boolean, data: Record { type: String, data: Bytes } }`.
 */

/** Reserved chatter type names. Both carry `HatChatter.Ping = None` / `Pong = None`, i.e. empty
 * `data.data` (hat-drivers sends `b''`). */
export const ChatterMsgType = {
  Ping: 'HatChatter.Ping',
  Pong: 'HatChatter.Pong',
} as const;
export type ChatterMsgType = (typeof ChatterMsgType)[keyof typeof ChatterMsgType];

/** The typed payload: `type` is the fully qualified SBS type name, `data` its SBS encoding. */
export interface ChatterData {
  readonly type: string;
  readonly data: Uint8Array;
}

/**
 * The envelope fields. `id`: per-connection, per-sender counter from 1. A conversation is
 * `(owner, first)`: a new one has `first = id` and `owner = true` from its initiator; replies carry
 * the initiator's `first` and `owner = false`. `last` closes the conversation; `token` is always
 * true in hat-event usage.
 */
export interface ChatterHeader {
  readonly id: number;
  readonly first: number;
  readonly owner: boolean;
  readonly token: boolean;
  readonly last: boolean;
}

export interface ChatterMsg extends ChatterHeader {
  readonly data: ChatterData;
}

const sharedWriter = new SbsWriter();

function writeChatterHeader(w: SbsWriter, header: ChatterHeader): void {
  w.writeInteger(header.id);
  w.writeInteger(header.first);
  w.writeBoolean(header.owner);
  w.writeBoolean(header.token);
  w.writeBoolean(header.last);
}

/** Writes a whole `HatChatter.Msg` record. */
export function writeChatterMsg(w: SbsWriter, msg: ChatterMsg): void {
  writeChatterHeader(w, msg);
  w.writeString(msg.data.type);
  w.writeBytes(msg.data.data);
}

/** Encodes `msg` as a `HatChatter.Msg` body (no frame header); the result is the caller's. */
export function encodeChatterMsg(msg: ChatterMsg): Uint8Array {
  sharedWriter.reset();
  writeChatterMsg(sharedWriter, msg);
  return sharedWriter.finish();
}

/** Reads a `HatChatter.Msg` record. */
export function readChatterMsg(r: SbsReader): ChatterMsg {
  const id = r.readInteger('HatChatter.Msg.id');
  const first = r.readInteger('HatChatter.Msg.first');
  const owner = r.readBoolean('HatChatter.Msg.owner');
  const token = r.readBoolean('HatChatter.Msg.token');
  const last = r.readBoolean('HatChatter.Msg.last');
  const type = r.readString('HatChatter.Data.type');
  const data = r.readBytes('HatChatter.Data.data');
  return { id, first, owner, token, last, data: { type, data } };
}

/** Decodes a frame body as a `HatChatter.Msg`; trailing bytes are an error. Zero-copy:
 * `data.data` is a view into `bytes`. */
export function decodeChatterMsg(bytes: Uint8Array): ChatterMsg {
  const r = new SbsReader(bytes);
  const msg = readChatterMsg(r);
  r.expectEnd('HatChatter.Msg');
  return msg;
}

/** Encodes `msg` with its frame header, ready to write to the socket. */
export function encodeChatterFrame(msg: ChatterMsg): Uint8Array {
  const bytes = msg.data.data;
  return encodeChatterFrameWith(msg, msg.data.type, (w) => w.writeRaw(bytes));
}

/**
 * Encodes a framed `HatChatter.Msg` whose `data.data` is produced by `writeData` (e.g. an eventer
 * message body), with a single copy: envelope and data are written once into a reused writer, then
 * copied with the frame header and the data's length prefix into the returned buffer, which the
 * caller owns. `writeData` must not itself call chatter encoders (the writer is shared).
 */
export function encodeChatterFrameWith(
  header: ChatterHeader,
  type: string,
  writeData: (w: SbsWriter) => void,
): Uint8Array {
  const w = sharedWriter;
  w.reset();
  try {
    writeChatterHeader(w, header);
    w.writeString(type);
    const headLength = w.length;
    writeData(w);
    const dataLength = w.length - headLength;
    const prefixLength = integerByteLength(dataLength);
    const msgLength = headLength + prefixLength + dataLength;
    const out = new Uint8Array(frameHeaderLength(msgLength) + msgLength);
    let pos = writeFrameHeader(out, 0, msgLength);
    out.set(w.subarray(0, headLength), pos);
    pos += headLength;
    writeIntegerAt(out, pos, prefixLength, dataLength);
    out.set(w.subarray(headLength), pos + prefixLength);
    return out;
  } finally {
    w.reset();
  }
}
