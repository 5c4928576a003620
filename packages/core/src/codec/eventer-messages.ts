import { ProtocolError, invalidArgument } from '../errors.js';
import type { Event, RegisterEvent } from '../model/event.js';
import type { EventType } from '../model/event-type.js';
import type { QueryParams, QueryResult } from '../model/query.js';
import type { Status } from '../model/status.js';
import {
  readEventTypes,
  readEvents,
  readRegisterEvent,
  readStatus,
  writeEventTypes,
  writeEvents,
  writeRegisterEvent,
  writeStatus,
} from './eventer-model.js';
import {
  readQueryParams,
  readQueryResult,
  writeQueryParams,
  writeQueryResult,
} from './eventer-query.js';
import { SbsReader } from './sbs-reader.js';
import type { SbsReaderOptions } from './sbs-reader.js';
import type { SbsWriter } from './sbs-writer.js';

/*
 * The HatEventer messages (hat-event.md §2.3, flows §2.4), keyed by their fully qualified SBS
 * type name, which travels as the chatter `data.type`.
 */

/** Fully qualified SBS type names of the eventer messages. */
export const EventerMsgType = {
  InitReq: 'HatEventer.MsgInitReq',
  InitRes: 'HatEventer.MsgInitRes',
  StatusNotify: 'HatEventer.MsgStatusNotify',
  EventsNotify: 'HatEventer.MsgEventsNotify',
  EventsAck: 'HatEventer.MsgEventsAck',
  RegisterReq: 'HatEventer.MsgRegisterReq',
  RegisterRes: 'HatEventer.MsgRegisterRes',
  QueryReq: 'HatEventer.MsgQueryReq',
  QueryRes: 'HatEventer.MsgQueryRes',
} as const;
export type EventerMsgType = (typeof EventerMsgType)[keyof typeof EventerMsgType];

/** First client message. `subscriptions: []` means no notifications at all. */
export interface MsgInitReq {
  readonly clientName: string;
  readonly clientToken: string | null;
  readonly subscriptions: readonly EventType[];
  readonly serverId: number | null;
  readonly persisted: boolean;
}

/** Init outcome: the server's current status, or why the client was refused. */
export type MsgInitRes =
  | { readonly type: 'success'; readonly status: Status }
  | { readonly type: 'error'; readonly error: string };

/** Register outcome: the registered events (same order and count as the request) or failure. */
export type MsgRegisterRes =
  { readonly type: 'events'; readonly events: readonly Event[] } | { readonly type: 'failure' };

export type EventerMsg =
  | { readonly type: 'HatEventer.MsgInitReq'; readonly data: MsgInitReq }
  | { readonly type: 'HatEventer.MsgInitRes'; readonly data: MsgInitRes }
  | { readonly type: 'HatEventer.MsgStatusNotify'; readonly data: Status }
  | {
      readonly type: 'HatEventer.MsgEventsNotify';
      readonly data: readonly Event[];
    }
  | { readonly type: 'HatEventer.MsgEventsAck'; readonly data: null }
  | {
      readonly type: 'HatEventer.MsgRegisterReq';
      readonly data: readonly RegisterEvent[];
    }
  | {
      readonly type: 'HatEventer.MsgRegisterRes';
      readonly data: MsgRegisterRes;
    }
  | { readonly type: 'HatEventer.MsgQueryReq'; readonly data: QueryParams }
  | { readonly type: 'HatEventer.MsgQueryRes'; readonly data: QueryResult };

function writeInitReq(w: SbsWriter, msg: MsgInitReq): void {
  w.writeString(msg.clientName);
  if (msg.clientToken === null) {
    w.writeChoice(0);
  } else {
    w.writeChoice(1);
    w.writeString(msg.clientToken);
  }
  writeEventTypes(w, msg.subscriptions);
  if (msg.serverId === null) {
    w.writeChoice(0);
  } else {
    w.writeChoice(1);
    w.writeInteger(msg.serverId);
  }
  w.writeBoolean(msg.persisted);
}

function readInitReq(r: SbsReader): MsgInitReq {
  const f = 'HatEventer.MsgInitReq';
  const clientName = r.readString(`${f}.clientName`);
  const clientToken =
    r.readChoice(2, `${f}.clientToken`) === 1 ? r.readString(`${f}.clientToken`) : null;
  const subscriptions = readEventTypes(r, `${f}.subscriptions`);
  const serverId = r.readChoice(2, `${f}.serverId`) === 1 ? r.readInteger(`${f}.serverId`) : null;
  const persisted = r.readBoolean(`${f}.persisted`);
  return { clientName, clientToken, subscriptions, serverId, persisted };
}

/** `MsgInitRes = Choice { success: Status, error: String }`. */
function writeInitRes(w: SbsWriter, msg: MsgInitRes): void {
  if (msg.type === 'success') {
    w.writeChoice(0);
    writeStatus(w, msg.status);
  } else {
    w.writeChoice(1);
    w.writeString(msg.error);
  }
}

function readInitRes(r: SbsReader): MsgInitRes {
  if (r.readChoice(2, 'HatEventer.MsgInitRes') === 0)
    return { type: 'success', status: readStatus(r) };
  return { type: 'error', error: r.readString('HatEventer.MsgInitRes.error') };
}

/** `MsgRegisterRes = Choice { events: Array(Event), failure: None }`. */
function writeRegisterRes(w: SbsWriter, msg: MsgRegisterRes): void {
  if (msg.type === 'events') {
    w.writeChoice(0);
    writeEvents(w, msg.events);
  } else {
    w.writeChoice(1);
  }
}

function readRegisterRes(r: SbsReader): MsgRegisterRes {
  if (r.readChoice(2, 'HatEventer.MsgRegisterRes') === 1) return { type: 'failure' };
  return {
    type: 'events',
    events: readEvents(r, 'HatEventer.MsgRegisterRes.events'),
  };
}

function writeRegisterEvents(w: SbsWriter, events: readonly RegisterEvent[]): void {
  w.writeInteger(events.length);
  for (const event of events) writeRegisterEvent(w, event);
}

function readRegisterEvents(r: SbsReader): RegisterEvent[] {
  const n = r.readArrayLength('HatEventer.MsgRegisterReq');
  const events: RegisterEvent[] = [];
  for (let i = 0; i < n; i++) events.push(readRegisterEvent(r));
  return events;
}

/** Writes the SBS body of `msg` (no chatter envelope). */
export function writeEventerMsg(w: SbsWriter, msg: EventerMsg): void {
  switch (msg.type) {
    case 'HatEventer.MsgInitReq':
      return writeInitReq(w, msg.data);
    case 'HatEventer.MsgInitRes':
      return writeInitRes(w, msg.data);
    case 'HatEventer.MsgStatusNotify':
      return writeStatus(w, msg.data);
    case 'HatEventer.MsgEventsNotify':
      return writeEvents(w, msg.data);
    case 'HatEventer.MsgEventsAck':
      return w.writeNone();
    case 'HatEventer.MsgRegisterReq':
      return writeRegisterEvents(w, msg.data);
    case 'HatEventer.MsgRegisterRes':
      return writeRegisterRes(w, msg.data);
    case 'HatEventer.MsgQueryReq':
      return writeQueryParams(w, msg.data);
    case 'HatEventer.MsgQueryRes':
      return writeQueryResult(w, msg.data);
    default:
      throw invalidArgument(
        `unknown eventer message type ${JSON.stringify((msg as { type: unknown }).type)}`,
      );
  }
}

/** Reads the body of a message of type `typeName`; the body must be consumed exactly. */
export function readEventerMsg(
  typeName: string,
  body: Uint8Array,
  options?: SbsReaderOptions,
): EventerMsg {
  const r = new SbsReader(body, 0, body.length, options);
  const msg = readEventerBody(typeName, r);
  r.expectEnd(typeName);
  return msg;
}

function readEventerBody(type: string, r: SbsReader): EventerMsg {
  switch (type) {
    case 'HatEventer.MsgInitReq':
      return { type, data: readInitReq(r) };
    case 'HatEventer.MsgInitRes':
      return { type, data: readInitRes(r) };
    case 'HatEventer.MsgStatusNotify':
      return { type, data: readStatus(r) };
    case 'HatEventer.MsgEventsNotify':
      return { type, data: readEvents(r, 'HatEventer.MsgEventsNotify') };
    case 'HatEventer.MsgEventsAck':
      return { type, data: r.readNone() };
    case 'HatEventer.MsgRegisterReq':
      return { type, data: readRegisterEvents(r) };
    case 'HatEventer.MsgRegisterRes':
      return { type, data: readRegisterRes(r) };
    case 'HatEventer.MsgQueryReq':
      return { type, data: readQueryParams(r) };
    case 'HatEventer.MsgQueryRes':
      return { type, data: readQueryResult(r) };
    default:
      throw new ProtocolError(`unknown eventer message type ${JSON.stringify(type)}`, {
        offset: 0,
      });
  }
}
