// Property tests of the whole receive path, bytes on the wire to eventer messages: framing
// (hat-event.md §2.1), the chatter envelope and the eventer messages (§2.3), and the stored
// event encoding. Malformed input may only raise ProtocolError (docs/errors.md, ERR_PROTOCOL).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../errors.js';
import { event, message, text } from '../testing/eventer-arbitraries.js';
import { ChatterMsgType, decodeChatterMsg, encodeChatterMsg } from './chatter.js';
import type { ChatterMsg } from './chatter.js';
import type { EventerMsg } from './eventer-messages.js';
import {
  decodeEvent,
  decodeEventHeader,
  decodeEventTypeOf,
  decodeEventerMsg,
  encodeEvent,
  encodeEventerFrame,
  encodeEventerMsg,
} from './eventer.js';
import { FrameDecoder } from './frame.js';
import { SbsWriter } from './sbs-writer.js';

/** Frames `msgs` as a client sends them, one stream, ids from 1. */
function stream(msgs: readonly EventerMsg[]): Uint8Array {
  const frames = msgs.map((msg, i) =>
    encodeEventerFrame({ id: i + 1, first: i + 1, owner: true, token: true, last: true }, msg),
  );
  return Uint8Array.from(frames.flatMap((f) => Array.from(f)));
}

/** What a connection does with received bytes: reassemble frames, decode envelope and body. */
function receive(bytes: Uint8Array, cuts: readonly number[]): EventerMsg[] {
  const decoder = new FrameDecoder(64 * 1024);
  const points = [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b);
  const received: EventerMsg[] = [];
  let from = 0;
  for (const to of points) {
    for (const frame of decoder.push(bytes.subarray(from, Math.max(from, to)))) {
      const { type, data } = decodeChatterMsg(frame).data;
      if (type !== ChatterMsgType.Ping && type !== ChatterMsgType.Pong) {
        received.push(decodeEventerMsg(type, data, { rememberPayloads: true }));
      }
    }
    from = Math.max(from, to);
  }
  return received;
}

function onlyProtocolErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
  }
}

const sbsInteger = (value: number): Uint8Array => {
  const w = new SbsWriter();
  w.writeInteger(value);
  return w.finish().slice();
};
const splice = (b: Uint8Array, at: number, removed: number, inserted: Uint8Array) =>
  Uint8Array.from([...b.subarray(0, at), ...inserted, ...b.subarray(at + removed)]);

type Mutation = (b: Uint8Array) => Uint8Array;
/** A mutation that fast-check prints by `name` in a counterexample. */
const named = (name: string, apply: Mutation): Mutation =>
  Object.assign(apply, { [fc.toStringMethod]: () => name });
const at = (i: number, b: Uint8Array) => i % (b.length + 1);

function flipBit(i: number, bit: number): Mutation {
  return named(`flipBit(${i}, ${bit})`, (b) => {
    const out = b.slice();
    if (out.length > 0) out[i % out.length]! ^= 1 << bit;
    return out;
  });
}

/** Rewrites the frame header: size byte `m` (0 and 9 are invalid) and declared length `k`. */
function frameHeader(m: number, k: number): Mutation {
  return named(`frameHeader(m=${m}, k=${k})`, (b) => {
    const size = Math.min(m, 8);
    const digits = Array.from({ length: size }, (_, i) => Math.floor(k / 256 ** (size - 1 - i)));
    return Uint8Array.from([m, ...digits.map((d) => d % 256), ...b.subarray(1 + (b[0] ?? 1))]);
  });
}

const edgeNumbers = fc.constantFrom(0, -1, 127, 128, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1));
/** Bit flips, byte insertion and deletion, truncation, an SBS length/count/index overwritten,
 * and the frame header rewritten. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(7)).map(([i, bit]) => flipBit(i, bit)),
  fc
    .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(([i, bytes]) => named(`insert(${i})`, (b) => splice(b, at(i, b), 0, bytes))),
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 16 }))
    .map(([i, n]) => named(`delete(${i}, ${n})`, (b) => splice(b, at(i, b), n, new Uint8Array()))),
  fc.nat().map((i) => named(`truncate(${i})`, (b) => b.subarray(0, at(i, b)))),
  fc
    .tuple(fc.nat(), fc.oneof(fc.nat(), edgeNumbers), fc.nat(3))
    .map(([i, value, removed]) =>
      named(`integer(${i}, ${value})`, (b) => splice(b, at(i, b), removed, sbsInteger(value))),
    ),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.oneof(fc.nat(), fc.maxSafeNat()))
    .map(([m, k]) => frameHeader(m, k)),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });
const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('wire receive path (property)', () => {
  it('decodes a stream of framed messages split anywhere', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 4 }), cuts, (msgs, at) => {
        const expected = msgs.map((m) => decodeEventerMsg(m.type, encodeEventerMsg(m)));
        assert.deepEqual(receive(stream(msgs), at), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the chatter envelope', () => {
    const header = { id: fc.maxSafeInteger(), first: fc.maxSafeInteger() };
    const flags = { owner: fc.boolean(), token: fc.boolean(), last: fc.boolean() };
    const data = fc.record({ type: text, data: fc.uint8Array({ maxLength: 40 }) });
    // Plain objects (fast-check's records have no prototype; decoded ones do).
    const chatter: fc.Arbitrary<ChatterMsg> = fc
      .record({ ...header, ...flags, data })
      .map((m) => ({ ...m, data: { ...m.data } }));
    fc.assert(
      fc.property(chatter, (msg) => assert.deepEqual(decodeChatterMsg(encodeChatterMsg(msg)), msg)),
      { numRuns: 500 },
    );
  });

  it('throws nothing but ProtocolError on mutated streams', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 3 }),
        mutations,
        cuts,
        (msgs, ms, at) => {
          const bytes = ms.reduce<Uint8Array>((b, m) => m(b), stream(msgs));
          onlyProtocolErrors(() => receive(bytes, at));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but ProtocolError on two frames spliced', () => {
    fc.assert(
      fc.property(message, message, fc.nat(), fc.nat(), cuts, (a, b, i, j, at) => {
        const [first, second] = [stream([a]), stream([b])];
        const cutA = first.subarray(0, i % (first.length + 1));
        const bytes = Uint8Array.from([...cutA, ...second.subarray(j % (second.length + 1))]);
        onlyProtocolErrors(() => receive(bytes, at));
      }),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but ProtocolError on mutated stored events', () => {
    fc.assert(
      fc.property(event, mutations, (e, ms) => {
        const bytes = ms.reduce<Uint8Array>((b, m) => m(b), encodeEvent(e).slice());
        onlyProtocolErrors(() => decodeEvent(bytes));
        onlyProtocolErrors(() => decodeEventHeader(bytes));
        onlyProtocolErrors(() => decodeEventTypeOf(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});
