// HatEventer messages, spec: hat-event.md §2.2 (SBS and the MsgInitReq/MsgInitRes
// vectors), §2.3 (schema), §2.4 (messages).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '../errors.js';
import type { Event } from '../model/event.js';
import type { EventerMsg } from './eventer-messages.js';
import { EventerMsgType } from './eventer-messages.js';
import { decodeEventerMsg, encodeEventerMsg } from './eventer.js';
import { hex, toHex } from '../testing/hex.js';

const event1: Event = {
  id: { server: 1, session: 2, instance: 3 },
  type: ['a'],
  timestamp: { s: 100, us: 5 },
  sourceTimestamp: null,
  payload: null,
};

/**
 * Golden vectors, computed by hand from the schema (§2.3) and the Integer rule (§2.2; every
 * small non-negative n < 64 is the single byte 0x80 | n), then checked against an independent
 * re-implementation of the §2.2 rules. Decoding each body must give back `msg` exactly.
 */
const goldens: { name: string; msg: EventerMsg; body: string }[] = [
  {
    // §2.2: "c" = 81 63; clientToken none = 80; [["*"]] = 81 81 81 2a; serverId none = 80;
    // persisted false = 00.
    name: 'MsgInitReq from the spec',
    msg: {
      type: 'HatEventer.MsgInitReq',
      data: {
        clientName: 'c',
        clientToken: null,
        subscriptions: [['*']],
        serverId: null,
        persisted: false,
      },
    },
    body: '81 63 80 81 81 81 2a 80 00',
  },
  {
    // "ab" = 82 61 62; token value = 81 + "t" 81 74; [] = 80; serverId value 81 + 5 = 85; true = 01.
    name: 'MsgInitReq with token and server id',
    msg: {
      type: 'HatEventer.MsgInitReq',
      data: {
        clientName: 'ab',
        clientToken: 't',
        subscriptions: [],
        serverId: 5,
        persisted: true,
      },
    },
    body: '82 61 62 81 81 74 80 81 85 01',
  },
  {
    // §2.2: success = choice 0 (80), operational = Status choice 2 (82).
    name: 'MsgInitRes success',
    msg: {
      type: 'HatEventer.MsgInitRes',
      data: { type: 'success', status: 'operational' },
    },
    body: '80 82',
  },
  {
    // error = choice 1 (81), String "no" = 82 6e 6f.
    name: 'MsgInitRes error',
    msg: { type: 'HatEventer.MsgInitRes', data: { type: 'error', error: 'no' } },
    body: '81 82 6e 6f',
  },
  {
    // Status stopping = choice 3.
    name: 'MsgStatusNotify',
    msg: { type: 'HatEventer.MsgStatusNotify', data: 'stopping' },
    body: '83',
  },
  {
    // Array count 1 = 81; id 81 82 83; type ["a"] = 81 81 61; timestamp s=100 needs two bytes
    // (100 ≥ 64: 00 e4), us=5 = 85; sourceTimestamp none 80; payload none 80.
    name: 'MsgEventsNotify',
    msg: { type: 'HatEventer.MsgEventsNotify', data: [event1] },
    body: '81 81 82 83 81 81 61 00 e4 85 80 80',
  },
  {
    // None: empty body.
    name: 'MsgEventsAck',
    msg: { type: 'HatEventer.MsgEventsAck', data: null },
    body: '',
  },
  {
    // count 81; type ["x","y"] = 82 81 78 81 79; sourceTimestamp value 81 + (-1, 0) = ff 80;
    // payload value 81 + json choice 81 + String '{"a":1}' (7 bytes) = 87 7b 22 61 22 3a 31 7d.
    name: 'MsgRegisterReq',
    msg: {
      type: 'HatEventer.MsgRegisterReq',
      data: [
        {
          type: ['x', 'y'],
          sourceTimestamp: { s: -1, us: 0 },
          payload: { type: 'json', data: { a: 1 } },
        },
      ],
    },
    body: '81 82 81 78 81 79 81 ff 80 81 81 87 7b 22 61 22 3a 31 7d',
  },
  {
    // events choice 80; count 81; id 80 80 80; type [] 80; timestamp 80 80; sourceTimestamp
    // none 80; payload value 81 + binary choice 80 + type "b" 81 62 + data 82 01 02.
    name: 'MsgRegisterRes events',
    msg: {
      type: 'HatEventer.MsgRegisterRes',
      data: {
        type: 'events',
        events: [
          {
            id: { server: 0, session: 0, instance: 0 },
            type: [],
            timestamp: { s: 0, us: 0 },
            sourceTimestamp: null,
            payload: {
              type: 'binary',
              binaryType: 'b',
              data: new Uint8Array([1, 2]),
            },
          },
        ],
      },
    },
    body: '80 81 80 80 80 80 80 80 80 81 80 81 62 82 01 02',
  },
  {
    name: 'MsgRegisterRes failure',
    msg: { type: 'HatEventer.MsgRegisterRes', data: { type: 'failure' } },
    body: '81',
  },
  {
    // latest choice 80; eventTypes value 81; count 81; ["a","*"] = 82 81 61 81 2a.
    name: 'MsgQueryReq latest',
    msg: {
      type: 'HatEventer.MsgQueryReq',
      data: { type: 'latest', eventTypes: [['a', '*']] },
    },
    body: '80 81 81 82 81 61 81 2a',
  },
  {
    // timeseries choice 81; eventTypes none 80; tFrom value 81 + (1, 0) = 81 80; tTo,
    // sourceTFrom, sourceTTo none 80 80 80; order ascending 81; orderBy sourceTimestamp 81;
    // maxResults value 81 + 10 = 8a; lastEventId value 81 + 81 82 83.
    name: 'MsgQueryReq timeseries',
    msg: {
      type: 'HatEventer.MsgQueryReq',
      data: {
        type: 'timeseries',
        eventTypes: null,
        tFrom: { s: 1, us: 0 },
        tTo: null,
        sourceTFrom: null,
        sourceTTo: null,
        order: 'ascending',
        orderBy: 'sourceTimestamp',
        maxResults: 10,
        lastEventId: { server: 1, session: 2, instance: 3 },
      },
    },
    body: '81 80 81 81 80 80 80 80 81 81 81 8a 81 81 82 83',
  },
  {
    // server choice 82; serverId 7 = 87; persisted 01; maxResults value 81 + 4096 (2 bytes:
    // 4096 >> 7 = 0x20, low 0 → 20 80); lastEventId none 80.
    name: 'MsgQueryReq server',
    msg: {
      type: 'HatEventer.MsgQueryReq',
      data: {
        type: 'server',
        serverId: 7,
        persisted: true,
        maxResults: 4096,
        lastEventId: null,
      },
    },
    body: '82 87 01 81 20 80 80',
  },
  {
    // events [] = 80; moreFollows true = 01.
    name: 'MsgQueryRes',
    msg: {
      type: 'HatEventer.MsgQueryRes',
      data: { events: [], moreFollows: true },
    },
    body: '80 01',
  },
];

describe('eventer messages', () => {
  for (const { name, msg, body } of goldens) {
    it(`encodes ${name} to its golden bytes`, () => {
      assert.equal(toHex(encodeEventerMsg(msg)), body);
    });

    it(`decodes ${name} from its golden bytes`, () => {
      assert.deepEqual(decodeEventerMsg(msg.type, hex(body)), msg);
    });

    it(`rejects every truncation of ${name}`, () => {
      const bytes = hex(body);
      for (let n = 0; n < bytes.length; n++) {
        assert.throws(
          () => decodeEventerMsg(msg.type, bytes.subarray(0, n)),
          ProtocolError,
          `prefix of ${n} bytes`,
        );
      }
    });

    it(`rejects ${name} with a trailing byte`, () => {
      const bytes = new Uint8Array([...hex(body), 0x80]);
      assert.throws(() => decodeEventerMsg(msg.type, bytes), {
        name: 'ProtocolError',
        message: `${msg.type}: 1 trailing bytes`,
      });
    });
  }

  it('covers every message type with a golden vector', () => {
    const covered = new Set(goldens.map((g) => g.msg.type));
    assert.deepEqual([...covered].sort(), Object.values(EventerMsgType).sort());
  });

  it('rejects an unknown type name', () => {
    assert.throws(() => decodeEventerMsg('HatEventer.MsgNope', hex('80')), {
      name: 'ProtocolError',
      message: 'unknown eventer message type "HatEventer.MsgNope"',
    });
  });

  it('fills absent query fields with Hat defaults', () => {
    const encoded = encodeEventerMsg({
      type: 'HatEventer.MsgQueryReq',
      data: { type: 'timeseries' },
    });
    assert.equal(toHex(encoded), '81 80 80 80 80 80 80 80 80 80');
    assert.deepEqual(decodeEventerMsg('HatEventer.MsgQueryReq', encoded).data, {
      type: 'timeseries',
      eventTypes: null,
      tFrom: null,
      tTo: null,
      sourceTFrom: null,
      sourceTTo: null,
      order: 'descending',
      orderBy: 'timestamp',
      maxResults: null,
      lastEventId: null,
    });
    const server = encodeEventerMsg({
      type: 'HatEventer.MsgQueryReq',
      data: { type: 'server', serverId: 1 },
    });
    assert.equal(toHex(server), '82 81 00 80 80');
  });

  it('decodes absent RegisterEvent optionals as explicit nulls', () => {
    const encoded = encodeEventerMsg({
      type: 'HatEventer.MsgRegisterReq',
      data: [{ type: ['a'] }],
    });
    assert.equal(toHex(encoded), '81 81 81 61 80 80');
    assert.deepEqual(decodeEventerMsg('HatEventer.MsgRegisterReq', encoded).data, [
      { type: ['a'], sourceTimestamp: null, payload: null },
    ]);
  });
});
