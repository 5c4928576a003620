import { ProtocolError, SbsWriter, rememberPayloadEncoding } from '@eventum/core';
import type { Event, EventId, EventPayload, JsonValue, Timestamp } from '@eventum/core';

/**
 * The block format of span files (see docs/backends/textlog.md): header lines `key: value`,
 * ending with `length: <bytes>`, then `length` bytes of content (JSON text, or base64 for
 * binary payloads), then `\nend\n\n`. Plain UTF-8, one block per event, grep-friendly.
 */
const TERMINATOR = '\nend\n\n';
const TERMINATOR_BYTES = Buffer.byteLength(TERMINATOR);
const NEWLINE = 0x0a;

/** Serialises one event as a block. */
export function formatEvent(event: Event): string {
  const { payload } = event;
  const content = contentOf(payload);
  const lines = [
    `event: ${event.id.server}/${event.id.session}/${event.id.instance}`,
    `type: ${JSON.stringify(event.type)}`,
    `timestamp: ${formatTimestamp(event.timestamp)}`,
    `source_timestamp: ${event.sourceTimestamp === null ? 'none' : formatTimestamp(event.sourceTimestamp)}`,
    `payload: ${payload === null ? 'none' : payload.type}`,
  ];
  if (payload?.type === 'binary') lines.push(`binary_type: ${JSON.stringify(payload.binaryType)}`);
  lines.push(`length: ${Buffer.byteLength(content)}`, '');
  return lines.join('\n') + content + TERMINATOR;
}

/** `s.uuuuuu`: whole seconds, a dot, six digits of microseconds (not a float for s < 0). */
export function formatTimestamp(t: Timestamp): string {
  return `${t.s}.${String(t.us).padStart(6, '0')}`;
}

/** The content text of a payload: JSON text, base64 for binary, empty for none. */
export function contentOf(payload: EventPayload | null): string {
  if (payload === null) return '';
  if (payload.type === 'json') return JSON.stringify(payload.data);
  return Buffer.from(
    payload.data.buffer,
    payload.data.byteOffset,
    payload.data.byteLength,
  ).toString('base64');
}

/** One parsed block: the event (payload left `null` when content was skipped) and its bytes. */
export interface Block {
  readonly event: Event;
  /** The content text, or `null` when the parse skipped it. */
  readonly content: string | null;
  readonly start: number;
  readonly end: number;
}

/**
 * Parses every block of `data` in file order. With `headersOnly` the content is skipped by its
 * length (no decoding) and events carry `payload: null`. Throws {@link ProtocolError} on a
 * malformed or truncated block (files are replaced atomically, so that means corruption).
 */
export function* parseBlocks(data: Buffer, headersOnly = false): Generator<Block> {
  let pos = 0;
  while (pos < data.length) {
    const start = pos;
    const headers = new Map<string, string>();
    for (;;) {
      const eol = data.indexOf(NEWLINE, pos);
      if (eol < 0) throw new ProtocolError('truncated block header', { offset: pos });
      const line = data.toString('utf8', pos, eol);
      pos = eol + 1;
      const colon = line.indexOf(': ');
      if (colon < 0) throw new ProtocolError(`invalid header line: ${line}`, { offset: start });
      const key = line.slice(0, colon);
      headers.set(key, line.slice(colon + 2));
      if (key === 'length') break;
    }
    const length = Number(headers.get('length'));
    const contentEnd = pos + length;
    if (!Number.isSafeInteger(length) || length < 0 || contentEnd > data.length) {
      throw new ProtocolError('invalid content length', { offset: start });
    }
    const end = contentEnd + TERMINATOR_BYTES;
    if (data.toString('utf8', contentEnd, end) !== TERMINATOR) {
      throw new ProtocolError('missing block terminator', { offset: contentEnd });
    }
    const content = headersOnly ? null : data.toString('utf8', pos, contentEnd);
    const event = toEvent(headers, content, start);
    if (event.payload?.type === 'json') rememberJsonText(event.payload, data, pos, contentEnd);
    yield { event, content, start, end };
    pos = end;
  }
}

/** Parses every event of `data` (see {@link parseBlocks}). */
export function parseEvents(data: Buffer, headersOnly = false): Event[] {
  return Array.from(parseBlocks(data, headersOnly), (b) => b.event);
}

function toEvent(headers: Map<string, string>, content: string | null, offset: number): Event {
  const field = (key: string): string => {
    const value = headers.get(key);
    if (value === undefined) throw new ProtocolError(`block without ${key}`, { offset });
    return value;
  };
  const source = field('source_timestamp');
  return {
    id: parseId(field('event'), offset),
    type: JSON.parse(field('type')) as string[],
    timestamp: parseTimestamp(field('timestamp'), offset),
    sourceTimestamp: source === 'none' ? null : parseTimestamp(source, offset),
    payload: content === null ? null : parsePayload(field('payload'), headers, content),
  };
}

const payloadWriter = new SbsWriter();

/**
 * Remembers the stored JSON text as the payload's encoding: queries send it as stored, so an
 * event that was stored can always be sent, whatever JSON could be encoded again.
 */
function rememberJsonText(payload: EventPayload, data: Buffer, start: number, end: number): void {
  payloadWriter.reset();
  payloadWriter.writeChoice(1); // EventPayload.json
  payloadWriter.writeBytes(data.subarray(start, end)); // a String is its length and UTF-8
  rememberPayloadEncoding(payload, payloadWriter.finish());
}

function parsePayload(
  kind: string,
  headers: Map<string, string>,
  content: string,
): EventPayload | null {
  if (kind === 'none') return null;
  if (kind === 'json') return { type: 'json', data: JSON.parse(content) as JsonValue };
  const binaryType = JSON.parse(headers.get('binary_type') ?? '""') as string;
  return { type: 'binary', binaryType, data: new Uint8Array(Buffer.from(content, 'base64')) };
}

const ID = /^(\d+)\/(\d+)\/(\d+)$/;
const TIMESTAMP = /^(-?\d+)\.(\d{6})$/;

function parseId(text: string, offset: number): EventId {
  const m = ID.exec(text);
  if (m === null) throw new ProtocolError(`invalid event id: ${text}`, { offset });
  return { server: Number(m[1]), session: Number(m[2]), instance: Number(m[3]) };
}

function parseTimestamp(text: string, offset: number): Timestamp {
  const m = TIMESTAMP.exec(text);
  if (m === null) throw new ProtocolError(`invalid timestamp: ${text}`, { offset });
  return { s: Number(m[1]), us: Number(m[2]) };
}
