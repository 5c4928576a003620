// Property tests of the HatEventer codec, spec: hat-event.md §1.4-1.10, §2.3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../errors.js';
import type { Event, RegisterEvent } from '../model/event.js';
import type { EventPayload, JsonValue } from '../model/payload.js';
import type { QueryParams } from '../model/query.js';
import type { EventerMsg } from './eventer-messages.js';
import { EventerMsgType } from './eventer-messages.js';
import { decodeEventerMsg, encodeEventerMsg } from './eventer.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const timestamp = fc.record({
  s: fc.maxSafeInteger(),
  us: fc.integer({ min: 0, max: 999_999 }),
});
const eventId = fc.record({
  server: fc.maxSafeNat(),
  session: fc.maxSafeNat(),
  instance: fc.maxSafeNat(),
});
const eventType = fc.array(text, { maxLength: 4 });
const eventTypes = fc.array(eventType, { maxLength: 3 });
const payload: fc.Arbitrary<EventPayload> = fc.oneof(
  fc.record({
    type: fc.constant('json' as const),
    data: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
  }),
  fc.record({
    type: fc.constant('binary' as const),
    binaryType: text,
    data: fc.uint8Array({ maxLength: 20 }),
  }),
);
const event: fc.Arbitrary<Event> = fc.record({
  id: eventId,
  type: eventType,
  timestamp,
  sourceTimestamp: fc.option(timestamp),
  payload: fc.option(payload),
});
const registerEvent: fc.Arbitrary<RegisterEvent> = fc.record(
  {
    type: eventType,
    sourceTimestamp: fc.option(timestamp),
    payload: fc.option(payload),
  },
  { requiredKeys: ['type'] },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb);
const queryParams: fc.Arbitrary<QueryParams> = fc.oneof(
  fc.record(
    { type: fc.constant('latest' as const), eventTypes: maybe(eventTypes) },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('timeseries' as const),
      eventTypes: maybe(eventTypes),
      tFrom: maybe(timestamp),
      tTo: maybe(timestamp),
      sourceTFrom: maybe(timestamp),
      sourceTTo: maybe(timestamp),
      order: fc.constantFrom('descending' as const, 'ascending' as const),
      orderBy: fc.constantFrom('timestamp' as const, 'sourceTimestamp' as const),
      maxResults: maybe(fc.maxSafeInteger()),
      lastEventId: maybe(eventId),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('server' as const),
      serverId: fc.maxSafeInteger(),
      persisted: fc.boolean(),
      maxResults: maybe(fc.maxSafeInteger()),
      lastEventId: maybe(eventId),
    },
    { requiredKeys: ['type', 'serverId'] },
  ),
);
const events = fc.array(event, { maxLength: 3 });
const message: fc.Arbitrary<EventerMsg> = fc.oneof(
  fc.record({
    type: fc.constant(EventerMsgType.InitReq),
    data: fc.record({
      clientName: text,
      clientToken: fc.option(text),
      subscriptions: eventTypes,
      serverId: fc.option(fc.maxSafeInteger()),
      persisted: fc.boolean(),
    }),
  }),
  fc.record({
    type: fc.constant(EventerMsgType.InitRes),
    data: fc.oneof(
      fc.record({
        type: fc.constant('success' as const),
        status: fc.constantFrom('standby', 'starting', 'operational', 'stopping' as const),
      }),
      fc.record({ type: fc.constant('error' as const), error: text }),
    ),
  }),
  fc.record({
    type: fc.constant(EventerMsgType.StatusNotify),
    data: fc.constantFrom('standby', 'starting', 'operational', 'stopping' as const),
  }),
  fc.record({ type: fc.constant(EventerMsgType.EventsNotify), data: events }),
  fc.record({ type: fc.constant(EventerMsgType.EventsAck), data: fc.constant(null) }),
  fc.record({
    type: fc.constant(EventerMsgType.RegisterReq),
    data: fc.array(registerEvent, { maxLength: 3 }),
  }),
  fc.record({
    type: fc.constant(EventerMsgType.RegisterRes),
    data: fc.oneof(
      fc.record({ type: fc.constant('events' as const), events }),
      fc.record({ type: fc.constant('failure' as const) }),
    ),
  }),
  fc.record({ type: fc.constant(EventerMsgType.QueryReq), data: queryParams }),
  fc.record({
    type: fc.constant(EventerMsgType.QueryRes),
    data: fc.record({ events, moreFollows: fc.boolean() }),
  }),
);

/** What decoding gives back: JSON through JSON text, absent fields as explicit defaults. */
function normalize(msg: EventerMsg): EventerMsg {
  return JSON.parse(JSON.stringify(msg, replacer), reviver) as EventerMsg;
}
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Array.from(value) };
  return value;
}
function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if ('$bytes' in value) return Uint8Array.from(value.$bytes as number[]);
  const v = value as Record<string, unknown>;
  if (v.type === 'timeseries') return { ...timeseriesDefaults, ...v };
  if (v.type === 'server') return { persisted: false, maxResults: null, lastEventId: null, ...v };
  if (v.type === 'latest') return { eventTypes: null, ...v };
  return value;
}
const timeseriesDefaults = {
  eventTypes: null,
  tFrom: null,
  tTo: null,
  sourceTFrom: null,
  sourceTTo: null,
  order: 'descending',
  orderBy: 'timestamp',
  maxResults: null,
  lastEventId: null,
};

function normalizeRegister(msg: EventerMsg): EventerMsg {
  if (msg.type !== 'HatEventer.MsgRegisterReq') return msg;
  const data = msg.data.map((e) => ({
    type: e.type,
    sourceTimestamp: e.sourceTimestamp ?? null,
    payload: e.payload ?? null,
  }));
  return { type: msg.type, data };
}

function onlyProtocolErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

describe('eventer codec (property)', () => {
  it('round-trips every message type', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const decoded = decodeEventerMsg(msg.type, encodeEventerMsg(msg));
        assert.deepEqual(decoded, normalize(normalizeRegister(msg)));
      }),
      { numRuns: 1000 },
    );
  });

  it('encodes deterministically: decode then encode gives the same bytes', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const bytes = encodeEventerMsg(msg);
        const again = encodeEventerMsg(decodeEventerMsg(msg.type, bytes));
        assert.deepEqual(again, bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every strict prefix of a message with ProtocolError', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const bytes = encodeEventerMsg(msg);
        for (let n = 0; n < bytes.length; n++) {
          assert.throws(() => decodeEventerMsg(msg.type, bytes.subarray(0, n)), ProtocolError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but ProtocolError on random bytes', () => {
    const types = Object.values(EventerMsgType);
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 80 }), (type, bytes) =>
        onlyProtocolErrors(() => decodeEventerMsg(type, bytes)),
      ),
      { numRuns: 5000 },
    );
  });

  it('throws nothing but ProtocolError on corrupted messages', () => {
    const corruption = fc.tuple(message, fc.nat(), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(corruption, ([msg, at, byte]) => {
        const bytes = encodeEventerMsg(msg).slice();
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        onlyProtocolErrors(() => decodeEventerMsg(msg.type, bytes));
      }),
      { numRuns: 3000 },
    );
  });
});
