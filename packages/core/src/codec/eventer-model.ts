import { invalidArgument } from '../errors.js';
import type { Event, EventHeader, RegisterEvent } from '../model/event.js';
import type { EventId } from '../model/event-id.js';
import type { EventType } from '../model/event-type.js';
import type { Order, OrderBy, Status } from '../model/status.js';
import type { Timestamp } from '../model/timestamp.js';
import { MAX_TIMESTAMP, MIN_TIMESTAMP } from '../model/timestamp.js';
import { eventEncoding } from './encodings.js';
import { EventTypeCache, typeHash } from './type-cache.js';
import { readOptionalEventPayload, writeOptionalEventPayload } from './eventer-payload.js';
import type { SbsReader } from './sbs-reader.js';
import type { SbsWriter } from './sbs-writer.js';

/*
 * Hand-written SBS codecs for the HatEventer model types (hat-event.md §1.4-1.10, schema §2.3).
 * Writers throw ERR_INVALID_ARGUMENT for values outside their type's domain; readers throw
 * ProtocolError naming the schema field. Decoded objects never alias the input bytes.
 */

const OPTIONAL_NONE = 0;
const OPTIONAL_VALUE = 1;
const MAX_US = 999_999;

const statuses: readonly Status[] = ['standby', 'starting', 'operational', 'stopping'];
const orders: readonly Order[] = ['descending', 'ascending'];
const orderBys: readonly OrderBy[] = ['timestamp', 'sourceTimestamp'];

/** Index of an as-const enum value in its SBS Choice, or an ERR_INVALID_ARGUMENT error. */
function choiceIndex<T extends string>(values: readonly T[], value: T, what: string): number {
  const index = values.indexOf(value);
  if (index < 0) throw invalidArgument(`${what}: unknown value ${JSON.stringify(value)}`);
  return index;
}

export function writeStatus(w: SbsWriter, status: Status): void {
  w.writeChoice(choiceIndex(statuses, status, 'HatEventer.Status'));
}

export function readStatus(r: SbsReader): Status {
  return statuses[r.readChoice(statuses.length, 'HatEventer.Status')] as Status;
}

export function writeOrder(w: SbsWriter, order: Order): void {
  w.writeChoice(choiceIndex(orders, order, 'HatEventer.Order'));
}

export function readOrder(r: SbsReader): Order {
  return orders[r.readChoice(orders.length, 'HatEventer.Order')] as Order;
}

export function writeOrderBy(w: SbsWriter, orderBy: OrderBy): void {
  w.writeChoice(choiceIndex(orderBys, orderBy, 'HatEventer.OrderBy'));
}

export function readOrderBy(r: SbsReader): OrderBy {
  return orderBys[r.readChoice(orderBys.length, 'HatEventer.OrderBy')] as OrderBy;
}

/** `HatEventer.Timestamp = Record { s: Integer, us: Integer }`; `us` must be in [0, 999999]. */
export function writeTimestamp(w: SbsWriter, t: Timestamp): void {
  if (!(t.us >= 0 && t.us <= MAX_US)) {
    throw invalidArgument(`HatEventer.Timestamp.us: ${t.us} outside [0, ${MAX_US}]`);
  }
  w.writeInteger(t.s);
  w.writeInteger(t.us);
}

/**
 * Reads a Timestamp. An `s` beyond the safe integer range (Hat's min/max timestamps use
 * ±2^63) is clamped to MIN_TIMESTAMP (−MAX_SAFE_INTEGER, 0) or MAX_TIMESTAMP (MAX_SAFE_INTEGER,
 * 999999), which keeps order but not identity.
 */
export function readTimestamp(r: SbsReader): Timestamp {
  const s = r.readIntegerSaturating('HatEventer.Timestamp.s');
  const us = r.readInteger('HatEventer.Timestamp.us');
  if (!(us >= 0 && us <= MAX_US)) {
    throw r.fail('HatEventer.Timestamp.us', `${us} outside [0, ${MAX_US}]`);
  }
  if (s === Infinity) return MAX_TIMESTAMP;
  if (s === -Infinity) return MIN_TIMESTAMP;
  return { s, us };
}

/** `Optional(Timestamp)`; `null` is none. */
export function writeOptionalTimestamp(w: SbsWriter, t: Timestamp | null | undefined): void {
  if (t == null) {
    w.writeChoice(OPTIONAL_NONE);
  } else {
    w.writeChoice(OPTIONAL_VALUE);
    writeTimestamp(w, t);
  }
}

export function readOptionalTimestamp(r: SbsReader, field: string): Timestamp | null {
  return r.readChoice(2, field) === OPTIONAL_VALUE ? readTimestamp(r) : null;
}

/** `HatEventer.EventId = Record { server, session, instance: Integer }`, all non-negative. */
export function writeEventId(w: SbsWriter, id: EventId): void {
  if (!(id.server >= 0 && id.session >= 0 && id.instance >= 0)) {
    throw invalidArgument(`HatEventer.EventId: negative component in ${JSON.stringify(id)}`);
  }
  w.writeInteger(id.server);
  w.writeInteger(id.session);
  w.writeInteger(id.instance);
}

export function readEventId(r: SbsReader): EventId {
  const server = r.readInteger('HatEventer.EventId.server');
  const session = r.readInteger('HatEventer.EventId.session');
  const instance = r.readInteger('HatEventer.EventId.instance');
  if (server < 0 || session < 0 || instance < 0) {
    throw r.fail(
      'HatEventer.EventId',
      `negative component in (${server}, ${session}, ${instance})`,
    );
  }
  return { server, session, instance };
}

/** `HatEventer.EventType = Array(String)`. */
export function writeEventType(w: SbsWriter, type: EventType): void {
  const n = type.length;
  w.writeInteger(n);
  for (let i = 0; i < n; i++) w.writeString(type[i] as string);
}

const eventTypes = new EventTypeCache();

/** Reads an EventType; equal encodings give one shared, frozen array (see EventTypeCache). */
export function readEventType(r: SbsReader, field: string): EventType {
  const start = r.position;
  const n = r.readArrayLength(field);
  const first = r.position;
  for (let i = 0; i < n; i++) r.skipBytes(field);
  const end = r.position;
  const bytes = r.bytes;
  const key = typeHash(bytes, start, end);
  const cached = eventTypes.get(key, bytes, start, end);
  if (cached !== undefined) return cached;
  r.rewind(first);
  const type: string[] = [];
  for (let i = 0; i < n; i++) type.push(r.readString(field));
  return eventTypes.add(key, bytes, start, end, type);
}

/** `Array(EventType)`. */
export function writeEventTypes(w: SbsWriter, types: readonly EventType[]): void {
  w.writeInteger(types.length);
  for (const type of types) writeEventType(w, type);
}

export function readEventTypes(r: SbsReader, field: string): EventType[] {
  const n = r.readArrayLength(field);
  const types: EventType[] = [];
  for (let i = 0; i < n; i++) types.push(readEventType(r, field));
  return types;
}

/** `HatEventer.Event = Record { id, type, timestamp, sourceTimestamp: Optional, payload: Optional }`. */
export function writeEvent(w: SbsWriter, event: Event): void {
  const encoded = eventEncoding(event);
  if (encoded !== undefined) {
    w.writeRaw(encoded);
    return;
  }
  writeEventId(w, event.id);
  writeEventType(w, event.type);
  writeTimestamp(w, event.timestamp);
  writeOptionalTimestamp(w, event.sourceTimestamp);
  writeOptionalEventPayload(w, event.payload);
}

export function readEvent(r: SbsReader): Event {
  const { id, type, timestamp, sourceTimestamp } = readEventHeader(r);
  const payload = readOptionalEventPayload(r, 'HatEventer.Event.payload');
  return { id, type, timestamp, sourceTimestamp, payload };
}

/** Reads a `HatEventer.Event` up to its payload, which is left unread. */
export function readEventHeader(r: SbsReader): EventHeader {
  const id = readEventId(r);
  const type = readEventType(r, 'HatEventer.Event.type');
  const timestamp = readTimestamp(r);
  const sourceTimestamp = readOptionalTimestamp(r, 'HatEventer.Event.sourceTimestamp');
  return { id, type, timestamp, sourceTimestamp };
}

/** `Array(Event)`. */
export function writeEvents(w: SbsWriter, events: readonly Event[]): void {
  w.writeInteger(events.length);
  for (const event of events) writeEvent(w, event);
}

export function readEvents(r: SbsReader, field: string): Event[] {
  const n = r.readArrayLength(field);
  const events: Event[] = [];
  for (let i = 0; i < n; i++) events.push(readEvent(r));
  return events;
}

/** `HatEventer.RegisterEvent = Record { type, sourceTimestamp: Optional, payload: Optional }`;
 * absent optional fields are written as none. */
export function writeRegisterEvent(w: SbsWriter, event: RegisterEvent): void {
  writeEventType(w, event.type);
  writeOptionalTimestamp(w, event.sourceTimestamp);
  writeOptionalEventPayload(w, event.payload);
}

/** Reads a RegisterEvent with every field present (`null` for none). */
export function readRegisterEvent(r: SbsReader): Required<RegisterEvent> {
  const type = readEventType(r, 'HatEventer.RegisterEvent.type');
  const sourceTimestamp = readOptionalTimestamp(r, 'HatEventer.RegisterEvent.sourceTimestamp');
  const payload = readOptionalEventPayload(r, 'HatEventer.RegisterEvent.payload');
  return { type, sourceTimestamp, payload };
}
