// Chatter envelope and framing, spec: hat-event.md §2.1 (chatter), §2.2 (the
// MsgInitReq frame vector).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '../errors.js';
import type { ChatterMsg } from './chatter.js';
import {
  ChatterMsgType,
  decodeChatterMsg,
  encodeChatterFrame,
  encodeChatterMsg,
} from './chatter.js';
import type { EventerMsg } from './eventer-messages.js';
import { decodeEventerMsg, encodeEventerFrame, encodeEventerMsg } from './eventer.js';
import { FrameDecoder, encodeFrame } from './frame.js';
import { hex, toHex } from '../testing/hex.js';

const initReq: EventerMsg = {
  type: 'HatEventer.MsgInitReq',
  data: {
    clientName: 'c',
    clientToken: null,
    subscriptions: [['*']],
    serverId: null,
    persisted: false,
  },
};
const initHeader = { id: 1, first: 1, owner: true, token: true, last: false };
// §2.2: id=1, first=1, owner=1, token=1, last=0, data.type = String(21 bytes) = 95 …,
// data.data = Bytes(9) = 89 + the MsgInitReq body; 0x25 = 37 bytes after the 2-byte header.
const initFrame = '01 25 81 81 01 01 00 95 "HatEventer.MsgInitReq" 89 81 63 80 81 81 81 2a 80 00';

describe('chatter messages', () => {
  it('frames the first client message exactly like the spec vector', () => {
    assert.deepEqual(encodeEventerFrame(initHeader, initReq), hex(initFrame));
    const msg: ChatterMsg = {
      ...initHeader,
      data: { type: initReq.type, data: encodeEventerMsg(initReq) },
    };
    assert.deepEqual(encodeChatterFrame(msg), hex(initFrame));
    assert.deepEqual(encodeFrame(encodeChatterMsg(msg)), hex(initFrame));
  });

  it('decodes the spec frame back to the message', () => {
    const [body, ...rest] = new FrameDecoder().push(hex(initFrame));
    assert.equal(rest.length, 0);
    const msg = decodeChatterMsg(body ?? new Uint8Array());
    assert.deepEqual(msg, {
      ...initHeader,
      data: { type: 'HatEventer.MsgInitReq', data: hex('81 63 80 81 81 81 2a 80 00') },
    });
    assert.deepEqual(decodeEventerMsg(msg.data.type, msg.data.data), initReq);
  });

  it('encodes Ping and its Pong reply with empty data', () => {
    // Ping opens conversation 3 (first = id = 3, owner, last = false): 83 83 01 01 00, type
    // "HatChatter.Ping" (15 bytes: 8f), empty Bytes 80 = 22 bytes → frame 01 16.
    const ping = encodeChatterFrame({
      id: 3,
      first: 3,
      owner: true,
      token: true,
      last: false,
      data: { type: ChatterMsgType.Ping, data: new Uint8Array() },
    });
    assert.equal(toHex(ping), toHex(hex('01 16 83 83 01 01 00 8f "HatChatter.Ping" 80')));
    // The peer's Pong (its own id 7) answers in the same conversation and closes it.
    const pong = encodeChatterMsg({
      id: 7,
      first: 3,
      owner: false,
      token: true,
      last: true,
      data: { type: ChatterMsgType.Pong, data: new Uint8Array() },
    });
    assert.equal(toHex(pong), toHex(hex('87 83 00 01 01 8f "HatChatter.Pong" 80')));
  });

  it('returns data as a view into the frame body', () => {
    const body = encodeChatterMsg({
      ...initHeader,
      data: { type: 't', data: new Uint8Array([1, 2]) },
    });
    const msg = decodeChatterMsg(body);
    assert.equal(msg.data.data.buffer, body.buffer);
  });

  it('rejects malformed envelopes', () => {
    const body = hex('81 81 01 01 00 81 "t" 80');
    assert.equal(decodeChatterMsg(body).data.type, 't');
    for (let n = 0; n < body.length; n++) {
      assert.throws(() => decodeChatterMsg(body.subarray(0, n)), ProtocolError);
    }
    assert.throws(() => decodeChatterMsg(hex('81 81 02 01 00 81 "t" 80')), {
      name: 'ProtocolError',
      message: 'HatChatter.Msg.owner: invalid Boolean byte 0x02',
    });
    assert.throws(() => decodeChatterMsg(hex('81 81 01 01 00 81 "t" 80 00')), {
      name: 'ProtocolError',
      message: 'HatChatter.Msg: 1 trailing bytes',
    });
  });

  it('writes the same frame through encodeEventerFrame as through the two-step path', () => {
    const events = Array.from({ length: 50 }, (_, i) => ({
      id: { server: 1, session: 1, instance: i },
      type: ['a', 'b'],
      timestamp: { s: 1700000000, us: i },
      sourceTimestamp: null,
      payload: { type: 'json' as const, data: { i, text: 'x'.repeat(i) } },
    }));
    const msg: EventerMsg = { type: 'HatEventer.MsgEventsNotify', data: events };
    const header = { id: 9, first: 9, owner: true, token: true, last: true };
    const twoStep = encodeChatterFrame({
      ...header,
      data: { type: msg.type, data: encodeEventerMsg(msg) },
    });
    assert.deepEqual(encodeEventerFrame(header, msg), twoStep);
  });
});
