// HatEventer.Event codec (the LMDB value encoding), spec: hat-event.md §1.4-1.7
// (model), §2.2 (SBS), §2.3 (schema).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../errors.js';
import type { Event } from '../model/event.js';
import {
  decodeEvent,
  decodeEventHeader,
  decodeEventTypeOf,
  decodeEventerMsg,
  encodeEvent,
  encodeEvents,
} from './eventer.js';
import { hex, toHex } from '../testing/hex.js';

const event1: Event = {
  id: { server: 1, session: 2, instance: 3 },
  type: ['a'],
  timestamp: { s: 100, us: 5 },
  sourceTimestamp: null,
  payload: null,
};

describe('event codec', () => {
  it('round-trips a single event and matches the notify item bytes', () => {
    const bytes = encodeEvent(event1);
    assert.equal(toHex(bytes), '81 82 83 81 81 61 00 e4 85 80 80');
    assert.deepEqual(decodeEvent(bytes), event1);
  });

  it('decodes the header or only the type, leaving the payload unread', () => {
    const withPayload: Event = {
      ...event1,
      sourceTimestamp: { s: 7, us: 8 },
      payload: { type: 'json', data: { a: 1 } },
    };
    const bytes = encodeEvent(withPayload);
    const { payload: _payload, ...header } = withPayload;
    assert.deepEqual(decodeEventHeader(bytes), header);
    assert.deepEqual(decodeEventTypeOf(bytes), ['a']);
    // A payload that is not even valid JSON is not looked at.
    const broken = encodeEvent({ ...withPayload, payload: { type: 'json', data: 'x' } }).slice();
    broken[broken.length - 2] = 0xff;
    assert.throws(() => decodeEvent(broken));
    assert.deepEqual(decodeEventHeader(broken), header);
  });

  it('encodes batches into independent results', () => {
    const events = [event1, { ...event1, type: ['b', 'c'] }];
    const results = encodeEvents(events);
    assert.deepEqual(results.map(decodeEvent), events);
    assert.deepEqual(results[0], encodeEvent(event1));
  });

  it('clamps Hat min/max timestamps to the safe range', () => {
    // (2^63 − 1, 999999) and (−2^63, 0), hat-event.md §1.4.
    const max = hex('81 82 83 80 00 7f 7f 7f 7f 7f 7f 7f 7f ff 3d 04 bf 80 80');
    const min = hex('81 82 83 80 7f 00 00 00 00 00 00 00 00 80 80 80 80');
    assert.deepEqual(decodeEvent(max).timestamp, {
      s: Number.MAX_SAFE_INTEGER,
      us: 999_999,
    });
    assert.deepEqual(decodeEvent(min).timestamp, {
      s: -Number.MAX_SAFE_INTEGER,
      us: 0,
    });
  });

  it('rejects microseconds outside [0, 999999]', () => {
    // us = 1000000 = 3d 04 c0.
    assert.throws(() => decodeEvent(hex('81 82 83 80 80 3d 04 c0 80 80')), {
      name: 'ProtocolError',
      message: 'HatEventer.Timestamp.us: 1000000 outside [0, 999999]',
    });
    assert.throws(() => encodeEvent({ ...event1, timestamp: { s: 0, us: -1 } }), {
      code: ErrorCode.InvalidArgument,
    });
  });

  it('rejects negative event id components', () => {
    assert.throws(() => decodeEvent(hex('ff 80 80 80 80 80 80 80')), {
      name: 'ProtocolError',
      message: 'HatEventer.EventId: negative component in (-1, 0, 0)',
    });
  });

  it('copies binary payload data out of the input', () => {
    const bytes = encodeEvent({
      ...event1,
      payload: { type: 'binary', binaryType: '', data: new Uint8Array([9]) },
    });
    const decoded = decodeEvent(bytes);
    bytes.fill(0);
    assert.deepEqual(decoded.payload, {
      type: 'binary',
      binaryType: '',
      data: new Uint8Array([9]),
    });
  });
});

describe('JSON payloads', () => {
  const withData = (data: unknown): Event =>
    ({ ...event1, payload: { type: 'json', data } }) as Event;

  for (const [name, data] of [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a nested -Infinity', { a: [1, { b: -Infinity }] }],
    ['undefined', undefined],
    ['an undefined array item', [1, undefined]],
    ['a bigint', 1n],
  ] as const) {
    it(`rejects ${name} like allow_nan=False`, () => {
      assert.throws(() => encodeEvent(withData(data)), {
        code: ErrorCode.InvalidArgument,
      });
    });
  }

  it('accepts the text "null" and JSON null', () => {
    for (const data of [null, 'null', { nullable: [null] }]) {
      assert.deepEqual(decodeEvent(encodeEvent(withData(data))).payload, {
        type: 'json',
        data,
      });
    }
  });

  it('decodes any valid JSON text, including Python formatting', () => {
    // '{"a": [1, 2.5e3]}' with Python's default ", " / ": " separators (17 bytes = 91).
    const text = '{"a": [1, 2.5e3]}';
    const body = `81 82 83 80 80 80 80 81 81 91 ${toHex(new TextEncoder().encode(text))}`;
    assert.deepEqual(decodeEvent(hex(body)).payload, {
      type: 'json',
      data: { a: [1, 2500] },
    });
  });

  it('rejects invalid JSON text', () => {
    // "NaN" is accepted by Python's json.loads but is not JSON.
    for (const text of ['NaN', '{', '']) {
      const utf8 = new TextEncoder().encode(text);
      const body = hex(`81 82 83 80 80 80 80 81 81 ${(0x80 | utf8.length).toString(16)}`);
      assert.throws(() => decodeEvent(new Uint8Array([...body, ...utf8])), {
        name: 'ProtocolError',
        message: 'HatEventer.EventPayloadJson: invalid JSON text',
      });
    }
  });
});

describe('malformed messages', () => {
  for (const [name, type, bytes, message] of [
    [
      'a bad Status choice',
      'HatEventer.MsgStatusNotify',
      '84',
      'HatEventer.Status: Choice index 4 out of range [0, 4)',
    ],
    [
      'a bad Boolean',
      'HatEventer.MsgQueryRes',
      '80 02',
      'HatEventer.QueryResult.moreFollows: invalid Boolean byte 0x02',
    ],
    [
      'a bad QueryParams choice',
      'HatEventer.MsgQueryReq',
      '83',
      'HatEventer.QueryParams: Choice index 3 out of range [0, 3)',
    ],
    [
      'a bad Optional choice',
      'HatEventer.MsgInitReq',
      '81 63 82',
      'HatEventer.MsgInitReq.clientToken: Choice index 2 out of range [0, 2)',
    ],
    [
      'a huge event count',
      'HatEventer.MsgEventsNotify',
      '3d 04 c0 80',
      'HatEventer.MsgEventsNotify: declared count 1000000 exceeds remaining 1 bytes',
    ],
    [
      'invalid UTF-8 in an event type',
      'HatEventer.MsgRegisterReq',
      '81 81 81 ff 80 80',
      'HatEventer.RegisterEvent.type: invalid UTF-8',
    ],
  ] as const) {
    it(`rejects ${name}`, () => {
      assert.throws(() => decodeEventerMsg(type, hex(bytes)), {
        name: 'ProtocolError',
        message,
      });
    });
  }
});
