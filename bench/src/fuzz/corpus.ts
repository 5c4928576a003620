/**
 * The fuzzers' seed corpus: one real frame of every message kind that travels between an eventum
 * client and server (hat-event.md §2.1-2.3), encoded by eventum's own encoders exactly as a
 * connection sends them, plus the stored form of events (the LMDB value encoding). Built at start
 * from fixed values, so every run and every machine mutates the same bytes.
 */
import { ChatterMsgType, encodeChatterFrame, encodeEvent, encodeEventerFrame } from '@eventum/core';
import type { ChatterHeader, Event, EventerMsg, RegisterEvent } from '@eventum/core';

/** What an input is fed to: a byte stream of frames, or one stored `HatEventer.Event`. */
export type CorpusKind = 'stream' | 'event';

export interface CorpusEntry {
  /** Stable name, shown in failure reports (e.g. `MsgQueryReq/timeseries`). */
  readonly name: string;
  readonly kind: CorpusKind;
  readonly bytes: Uint8Array;
}

const ts = (s: number, us = 0) => ({ s, us });

const storedEvents: readonly Event[] = [
  {
    id: { server: 1, session: 7, instance: 1 },
    type: ['sensor', 'a', 'temperature'],
    timestamp: ts(1_700_000_000, 123_456),
    sourceTimestamp: ts(1_699_999_999, 999_999),
    payload: { type: 'json', data: { value: 21.5, unit: 'C', tags: ['x', null, true] } },
  },
  {
    id: { server: 2, session: 300, instance: 70_000 },
    type: ['bin', 'ä', ''],
    timestamp: ts(-5, 1),
    sourceTimestamp: null,
    payload: { type: 'binary', binaryType: 'raw', data: Uint8Array.of(0, 1, 0x7f, 0x80, 0xff) },
  },
  {
    id: { server: 1, session: 2 ** 40, instance: 3 },
    type: [],
    timestamp: ts(0),
    sourceTimestamp: ts(2 ** 45, 500_000),
    payload: null,
  },
];

const registerEvents: readonly RegisterEvent[] = [
  { type: ['a', 'b'], payload: { type: 'json', data: 'CONNECTED' } },
  { type: ['c'], sourceTimestamp: ts(1_700_000_000, 1), payload: null },
  {
    type: ['d', 'e', 'f'],
    payload: { type: 'binary', binaryType: 'image/png', data: new Uint8Array(16).fill(0xaa) },
  },
];

const typesA = [['a', '*'], ['b', '?', 'c'], ['*']];

const messages: readonly (readonly [string, EventerMsg])[] = [
  [
    'MsgInitReq',
    {
      type: 'HatEventer.MsgInitReq',
      data: {
        clientName: 'fuzz',
        clientToken: 'token',
        subscriptions: typesA,
        serverId: 1,
        persisted: true,
      },
    },
  ],
  [
    'MsgInitReq/plain',
    {
      type: 'HatEventer.MsgInitReq',
      data: {
        clientName: 'c',
        clientToken: null,
        subscriptions: [],
        serverId: null,
        persisted: false,
      },
    },
  ],
  [
    'MsgInitRes/success',
    { type: 'HatEventer.MsgInitRes', data: { type: 'success', status: 'operational' } },
  ],
  [
    'MsgInitRes/error',
    { type: 'HatEventer.MsgInitRes', data: { type: 'error', error: 'invalid client token' } },
  ],
  ['MsgStatusNotify', { type: 'HatEventer.MsgStatusNotify', data: 'standby' }],
  ['MsgEventsNotify', { type: 'HatEventer.MsgEventsNotify', data: storedEvents }],
  ['MsgEventsAck', { type: 'HatEventer.MsgEventsAck', data: null }],
  ['MsgRegisterReq', { type: 'HatEventer.MsgRegisterReq', data: registerEvents }],
  [
    'MsgRegisterRes/events',
    { type: 'HatEventer.MsgRegisterRes', data: { type: 'events', events: storedEvents } },
  ],
  ['MsgRegisterRes/failure', { type: 'HatEventer.MsgRegisterRes', data: { type: 'failure' } }],
  [
    'MsgQueryReq/latest',
    { type: 'HatEventer.MsgQueryReq', data: { type: 'latest', eventTypes: typesA } },
  ],
  [
    'MsgQueryReq/latest-all',
    { type: 'HatEventer.MsgQueryReq', data: { type: 'latest', eventTypes: null } },
  ],
  [
    'MsgQueryReq/timeseries',
    {
      type: 'HatEventer.MsgQueryReq',
      data: {
        type: 'timeseries',
        eventTypes: typesA,
        tFrom: ts(1, 2),
        tTo: ts(1_800_000_000),
        sourceTFrom: ts(0),
        sourceTTo: null,
        order: 'ascending',
        orderBy: 'sourceTimestamp',
        maxResults: 1000,
        lastEventId: { server: 1, session: 7, instance: 1 },
      },
    },
  ],
  [
    'MsgQueryReq/server',
    {
      type: 'HatEventer.MsgQueryReq',
      data: { type: 'server', serverId: 1, persisted: true, maxResults: 10, lastEventId: null },
    },
  ],
  [
    'MsgQueryRes',
    { type: 'HatEventer.MsgQueryRes', data: { events: storedEvents, moreFollows: true } },
  ],
];

/** A client's first message: the frame a well-formed session starts with. */
export const initFrame: Uint8Array = encodeEventerFrame(header(1), messages[1]![1]);

function header(id: number, last = true): ChatterHeader {
  return { id, first: id, owner: true, token: true, last };
}

/** Every seed, in a fixed order. Streams are framed chatter messages, ids from 1. */
export function buildCorpus(): CorpusEntry[] {
  const entries: CorpusEntry[] = messages.map(([name, msg], i) => ({
    name,
    kind: 'stream',
    bytes: encodeEventerFrame(header(i + 1, i % 2 === 0), msg),
  }));
  const empty = new Uint8Array(0);
  for (const type of [ChatterMsgType.Ping, ChatterMsgType.Pong]) {
    const frame = encodeChatterFrame({ ...header(9), data: { type, data: empty } });
    entries.push({ name: type, kind: 'stream', bytes: frame });
  }
  // A session as a client sends it: init, register, query, ack, in one stream.
  const session = [messages[1]!, messages[7]!, messages[12]!, messages[6]!].map(([, msg], i) =>
    encodeEventerFrame(header(i + 1, i !== 0), msg),
  );
  entries.push({ name: 'session', kind: 'stream', bytes: concat(session) });
  storedEvents.forEach((event, i) => {
    entries.push({ name: `Event/${i}`, kind: 'event', bytes: encodeEvent(event).slice() });
  });
  return entries;
}

/** The eventer messages of the corpus, for peers that send them through a real connection. */
export function corpusMessages(): readonly EventerMsg[] {
  return messages.map(([, msg]) => msg);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
