// Remembered encodings: bytes a server passes through instead of encoding a value again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event } from '../model/event.js';
import {
  eventEncoding,
  payloadEncoding,
  rememberEventEncoding,
  rememberPayloadEncoding,
  retainedCopy,
} from './encodings.js';
import { decodeEvent, decodeEventerMsg, encodeEvent, encodeEventerMsg } from './eventer.js';
import { SbsWriter } from './sbs-writer.js';

function event(data: number): Event {
  return {
    id: { server: 1, session: 2, instance: 3 },
    type: ['a', 'b'],
    timestamp: { s: 100, us: 5 },
    sourceTimestamp: null,
    payload: { type: 'json', data },
  };
}

/** A `HatEventer.MsgRegisterReq` body with one event whose JSON text is `json`, as written. */
function registerReqWithJson(json: string): Uint8Array {
  const w = new SbsWriter();
  w.writeInteger(1); // one RegisterEvent
  w.writeInteger(1); // type ['x']
  w.writeString('x');
  w.writeChoice(0); // no source timestamp
  w.writeChoice(1); // a payload,
  w.writeChoice(1); // JSON
  w.writeString(json);
  return w.finish();
}

describe('remembered encodings', () => {
  it('are invisible to equality, spread, JSON and structuredClone', () => {
    const stamped = event(1);
    rememberEventEncoding(stamped, encodeEvent(stamped));
    assert.deepStrictEqual(stamped, event(1));
    assert.deepStrictEqual(Object.keys(stamped), Object.keys(event(1)));
    assert.equal(JSON.stringify(stamped), JSON.stringify(event(1)));
    assert.equal(eventEncoding({ ...stamped }), undefined);
    assert.equal(eventEncoding(structuredClone(stamped)), undefined);
  });

  it('are what encoding a stamped event writes', () => {
    const stored = event(1);
    // Bytes that differ from the event's own encoding show that they are passed through.
    const other = encodeEvent(event(2)).slice();
    rememberEventEncoding(stored, other);
    assert.deepEqual(encodeEvent(stored), other);
    assert.deepEqual(decodeEvent(encodeEvent(stored)), event(2));
  });

  it('keep the first bytes remembered and skip objects that cannot take them', () => {
    const stamped = event(1);
    const first = encodeEvent(stamped).slice();
    rememberEventEncoding(stamped, first);
    rememberEventEncoding(stamped, encodeEvent(event(2)).slice());
    assert.equal(eventEncoding(stamped), first);
    const frozen = Object.freeze(event(1));
    rememberEventEncoding(frozen, first);
    assert.equal(eventEncoding(frozen), undefined);
  });

  it('keep a payload text a server received as it was written', () => {
    const body = registerReqWithJson('{"a": [1, 2.50]}');
    const msg = decodeEventerMsg('HatEventer.MsgRegisterReq', body, { rememberPayloads: true });
    assert.equal(msg.type, 'HatEventer.MsgRegisterReq');
    const payload = msg.data[0]?.payload;
    assert.deepStrictEqual(payload, { type: 'json', data: { a: [1, 2.5] } });
    // Encoding the request again gives the received bytes, spacing and all.
    assert.deepEqual(encodeEventerMsg(msg), body);
    // A copy: the received buffer may be reused.
    body.fill(0);
    assert.ok(payload !== undefined && payloadEncoding(payload) !== undefined);
    assert.deepEqual(decodeEventerMsg(msg.type, encodeEventerMsg(msg)), msg);
  });

  it('are not kept unless the reader is asked to', () => {
    const msg = decodeEventerMsg('HatEventer.MsgRegisterReq', registerReqWithJson('[1,  2]'));
    assert.equal(msg.type, 'HatEventer.MsgRegisterReq');
    const payload = msg.data[0]?.payload;
    assert.ok(payload != null);
    assert.equal(payloadEncoding(payload), undefined);
    // Choice 1 (JSON), then the String "12".
    rememberPayloadEncoding(payload, retainedCopy(new Uint8Array([0x81, 0x82, 0x31, 0x32])));
    assert.deepEqual(decodeEventerMsg(msg.type, encodeEventerMsg(msg)), {
      ...msg,
      data: [{ ...msg.data[0], payload: { type: 'json', data: 12 } }],
    });
  });

  it('copy into shared slabs without aliasing the source', () => {
    const source = new Uint8Array([1, 2, 3]);
    const copy = retainedCopy(source);
    source[0] = 9;
    assert.deepEqual([...copy], [1, 2, 3]);
    assert.notEqual(copy.buffer, source.buffer);
  });
});
