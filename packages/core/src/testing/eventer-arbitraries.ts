// fast-check arbitraries of the eventer model and messages (hat-event.md §1.4-1.10, §2.3), shared
// by the codec's property tests. Test support: not exported, not published.
import fc from 'fast-check';
import type { EventerMsg } from '../codec/eventer-messages.js';
import { EventerMsgType } from '../codec/eventer-messages.js';
import type { Event, RegisterEvent } from '../model/event.js';
import type { EventPayload, JsonValue } from '../model/payload.js';
import type { QueryParams } from '../model/query.js';

export const text = fc.string({ unit: 'binary', maxLength: 12 });
export const timestamp = fc.record({
  s: fc.maxSafeInteger(),
  us: fc.integer({ min: 0, max: 999_999 }),
});
export const eventId = fc.record({
  server: fc.maxSafeNat(),
  session: fc.maxSafeNat(),
  instance: fc.maxSafeNat(),
});
export const eventType = fc.array(text, { maxLength: 4 });
export const eventTypes = fc.array(eventType, { maxLength: 3 });
export const payload: fc.Arbitrary<EventPayload> = fc.oneof(
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
export const event: fc.Arbitrary<Event> = fc.record({
  id: eventId,
  type: eventType,
  timestamp,
  sourceTimestamp: fc.option(timestamp),
  payload: fc.option(payload),
});
export const registerEvent: fc.Arbitrary<RegisterEvent> = fc.record(
  {
    type: eventType,
    sourceTimestamp: fc.option(timestamp),
    payload: fc.option(payload),
  },
  { requiredKeys: ['type'] },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb);
export const queryParams: fc.Arbitrary<QueryParams> = fc.oneof(
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
export const events = fc.array(event, { maxLength: 3 });
export const message: fc.Arbitrary<EventerMsg> = fc.oneof(
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
