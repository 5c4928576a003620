// Property tests of the HatEventer codec, spec: hat-event.md §1.4-1.10, §2.3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../errors.js';
import { message } from '../testing/eventer-arbitraries.js';
import type { EventerMsg } from './eventer-messages.js';
import { EventerMsgType } from './eventer-messages.js';
import { decodeEventerMsg, encodeEventerMsg } from './eventer.js';

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
