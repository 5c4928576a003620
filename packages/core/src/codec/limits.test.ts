import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '../errors.js';
import type { Event } from '../model/event.js';
import type { EventPayload } from '../model/payload.js';
import { encodeEvent, encodeEventerFrame } from './eventer.js';
import type { EventerMsg } from './eventer-messages.js';
import { payloadEncoding, rememberEventEncoding } from './encodings.js';
import { frameHeaderLength } from './frame.js';
import {
  MAX_EVENT_HEADER_SIZE,
  MAX_PAYLOAD_DEPTH,
  encodedEventSize,
  eventBudget,
  eventLimitProblem,
  jsonTooDeep,
  payloadBytes,
  utf8Length,
} from './limits.js';

const json = (data: unknown): EventPayload => ({ type: 'json', data: data as never });
const nested = (depth: number): unknown => {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};
const event = (payload: EventPayload | null, id = 1): Event => ({
  id: { server: id, session: id, instance: id },
  type: ['a', 'ü', '😀'],
  timestamp: { s: 1_700_000_000, us: 999_999 },
  sourceTimestamp: { s: -5, us: 1 },
  payload,
});

describe('limits', () => {
  it('measures events exactly as they are encoded', () => {
    const payloads = [null, json({ a: [1, 'x"\\'] }), json('é'), json(nested(100))];
    const binary: EventPayload = { type: 'binary', binaryType: 'b', data: new Uint8Array(300) };
    for (const payload of [...payloads, binary]) {
      for (const id of [0, 63, 64, Number.MAX_SAFE_INTEGER]) {
        const e = event(payload, id);
        assert.equal(encodedEventSize(e), encodeEvent(e).length);
      }
    }
  });

  it('counts UTF-8 bytes as TextEncoder does, lone surrogates included', () => {
    for (const s of ['', 'abc', 'ü', '€', '😀', '\ud800', 'a\udc00b', '\ud83d\ude00\ud83d']) {
      assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
    }
  });

  it('finds JSON nested too deep, ignoring brackets inside strings', () => {
    const bytes = (data: unknown) => payloadBytes(json(data));
    assert.equal(jsonTooDeep(bytes(nested(3)), 3), false);
    assert.equal(jsonTooDeep(bytes(nested(4)), 3), true);
    assert.equal(jsonTooDeep(bytes({ a: { b: {} } }), 3), false);
    assert.equal(jsonTooDeep(bytes({ a: { b: { c: [] } } }), 3), true);
    assert.equal(jsonTooDeep(bytes(['[[[[[\\"{{{{']), 2), false);
    // A long text: the Integer length before it takes several bytes.
    assert.equal(jsonTooDeep(bytes(['x'.repeat(100_000), [[]]]), 2), true);
  });

  it('refuses events too deep or too large, naming the limit', () => {
    assert.equal(
      eventLimitProblem({ type: ['a'], payload: json(nested(MAX_PAYLOAD_DEPTH)) }, 1e6),
      undefined,
    );
    assert.match(
      eventLimitProblem({ type: ['a'], payload: json(nested(MAX_PAYLOAD_DEPTH + 1)) }, 1e6) ?? '',
      /nested deeper than 512 levels/,
    );
    // Too deep for JSON.stringify: refused as not serialisable instead of throwing.
    assert.match(
      eventLimitProblem({ type: ['a'], payload: json(nested(20_000)) }, 1e9) ?? '',
      /not serialisable/,
    );
    const payload = json('x'.repeat(1000));
    const size = MAX_EVENT_HEADER_SIZE + 3 + 1 + 1 + payloadBytes(payload).length;
    assert.equal(eventLimitProblem({ type: ['a'], payload }, size), undefined);
    assert.match(
      eventLimitProblem({ type: ['a'], payload }, size - 1) ?? '',
      /exceeds the maximum event size/,
    );
  });

  it('remembers the payload encoding it computed, so storing it copies those bytes', () => {
    const payload = json({ v: 1 });
    assert.equal(payloadEncoding(payload), undefined);
    eventLimitProblem({ type: ['a'], payload }, 1e6);
    assert.deepEqual(payloadEncoding(payload), payloadBytes(payload));
  });

  it('bounds an event id and timestamp by MAX_EVENT_HEADER_SIZE', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const e: Event = {
      id: { server: max, session: max, instance: max },
      type: [],
      timestamp: { s: -max, us: 999_999 },
      sourceTimestamp: null,
      payload: null,
    };
    assert.equal(encodeEvent(e).length - 1 - 1 - 1, MAX_EVENT_HEADER_SIZE);
  });

  it('leaves room for the envelope: a message of eventBudget bytes of events fits the frame', () => {
    // Integer widths are the same for every length in [2^20, 2^27): 4 MiB stands for 64 MiB.
    const frame = 4 * 1024 * 1024;
    const e = event(null);
    rememberEventEncoding(e, new Uint8Array(eventBudget(frame)));
    const max = Number.MAX_SAFE_INTEGER;
    const header = { id: max, first: max, owner: false, token: true, last: false };
    const messages: EventerMsg[] = [
      { type: 'HatEventer.MsgEventsNotify', data: [e] },
      { type: 'HatEventer.MsgRegisterRes', data: { type: 'events', events: [e] } },
      { type: 'HatEventer.MsgQueryRes', data: { events: [e], moreFollows: true } },
    ];
    for (const msg of messages) {
      const encoded = encodeEventerFrame(header, msg);
      const body = encoded.length - frameHeaderLength(frame);
      assert.ok(body <= frame, `${msg.type}: ${body} > ${frame}`);
      assert.ok(body - eventBudget(frame) < 80, `${msg.type}: the overhead is under 80 bytes`);
    }
  });

  it('reports non-JSON payloads with ERR_INVALID_ARGUMENT from payloadBytes', () => {
    assert.throws(
      () => payloadBytes(json(Number.NaN)),
      (e) => isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
  });
});
