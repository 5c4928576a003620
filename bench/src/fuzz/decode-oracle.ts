/**
 * What the decoder fuzzer checks for each input. The decoders may only accept an input or
 * reject it with the documented `ERR_PROTOCOL` error (docs/errors.md: "malformed bytes on the
 * wire or in storage"); anything else thrown is a failure. An accepted input must also be
 * bounded (its decoded form is at most a few values per input byte, so a small input cannot
 * make a huge result) and consistent (encoding what was decoded and decoding that again gives
 * the same value: what a server accepts, it can send on).
 */
import { deepStrictEqual } from 'node:assert/strict';

import {
  ChatterMsgType,
  FrameDecoder,
  decodeChatterMsg,
  decodeEvent,
  decodeEventHeader,
  decodeEventTypeOf,
  decodeEventerMsg,
  encodeEvent,
  encodeEventerMsg,
  isEventumError,
} from '@eventum/core';

import type { FuzzInput, Rng } from './mutate.js';

/** Largest frame the fuzzed decoder accepts: small, so length prefixes above it are common. */
export const FUZZ_MAX_FRAME_SIZE = 4096;
/** Decoded values allowed per input byte (plus a constant): the amplification bound. */
const VALUES_PER_BYTE = 4;

/** How an input ended: accepted (`decoded` messages) or rejected with ERR_PROTOCOL. */
export interface Outcome {
  readonly decoded: number;
  readonly rejected: boolean;
}

/** A broken invariant; `cause` is what the decoder threw, if it threw. */
export class FuzzFailure extends Error {
  override name = 'FuzzFailure';
}

/** Checks one input; throws {@link FuzzFailure} when an invariant breaks. */
export function checkInput(input: FuzzInput): Outcome {
  const { bytes, rng } = input;
  let decoded = 0;
  const step = (what: string, run: () => number): boolean => {
    try {
      decoded += run();
      return true;
    } catch (error) {
      if (error instanceof FuzzFailure) throw error;
      if (isEventumError(error, 'ERR_PROTOCOL')) return false;
      throw new FuzzFailure(`${what} threw ${describeError(error)}`, { cause: error });
    }
  };
  if (input.base.kind === 'event') {
    const ok = step('decodeEventTypeOf', () => (decodeEventTypeOf(bytes), 0));
    step('decodeEventHeader', () => (decodeEventHeader(bytes), 0));
    return { decoded, rejected: !(step('decodeEvent', () => checkEvent(bytes)) && ok) };
  }
  const accepted = step('stream', () => decodeStream(bytes, rng));
  // The same bytes as one frame body and as a message body of a random type, skipping framing.
  step('decodeChatterMsg', () => (decodeChatterMsg(bytes), 1));
  step('decodeEventerMsg', () => checkMessage(rng.pick(messageTypes), bytes, rng));
  return { decoded, rejected: !accepted };
}

const messageTypes = [
  'HatEventer.MsgInitReq',
  'HatEventer.MsgInitRes',
  'HatEventer.MsgStatusNotify',
  'HatEventer.MsgEventsNotify',
  'HatEventer.MsgEventsAck',
  'HatEventer.MsgRegisterReq',
  'HatEventer.MsgRegisterRes',
  'HatEventer.MsgQueryReq',
  'HatEventer.MsgQueryRes',
  'HatEventer.MsgUnknown',
  ChatterMsgType.Ping,
];

/** Feeds `bytes` to a frame decoder in random chunks, then decodes every frame it yields. */
function decodeStream(bytes: Uint8Array, rng: Rng): number {
  const decoder = new FrameDecoder(FUZZ_MAX_FRAME_SIZE);
  let messages = 0;
  for (let pos = 0; pos < bytes.length;) {
    const end = rng.chance(0.5) ? bytes.length : pos + 1 + rng.below(bytes.length - pos);
    for (const frame of decoder.push(bytes.subarray(pos, end))) {
      if (frame.length > FUZZ_MAX_FRAME_SIZE) throw new FuzzFailure('frame above the limit');
      const chatter = decodeChatterMsg(frame);
      const { type, data } = chatter.data;
      if (type !== ChatterMsgType.Ping && type !== ChatterMsgType.Pong) {
        messages += checkMessage(type, data, rng);
      }
    }
    if (decoder.buffered > end) throw new FuzzFailure('decoder holds more than it was given');
    pos = end;
  }
  return messages;
}

/** Decodes one eventer message body and checks that it is bounded and re-encodes the same. */
function checkMessage(type: string, body: Uint8Array, rng: Rng): number {
  const msg = decodeEventerMsg(type, body, { rememberPayloads: rng.chance(0.5) });
  checkBounded(msg, body.length);
  const again = reencode(
    () => encodeEventerMsg(msg),
    (bytes) => decodeEventerMsg(type, bytes),
  );
  if (again !== undefined) sameValue(again, decodeEventerMsg(type, body), `${type} round trip`);
  return 1;
}

function checkEvent(bytes: Uint8Array): number {
  const event = decodeEvent(bytes);
  checkBounded(event, bytes.length);
  const again = reencode(() => encodeEvent(event), decodeEvent);
  if (again !== undefined) sameValue(again, event, 'HatEventer.Event round trip');
  return 1;
}

/**
 * Encodes a decoded value and decodes the result. The encoders refuse some values that are valid
 * SBS but outside eventum's domain with ERR_INVALID_ARGUMENT (e.g. a JSON number above 1e308,
 * which `JSON.parse` reads as Infinity); those give undefined. Anything else is a failure.
 */
function reencode<T>(encode: () => Uint8Array, decode: (bytes: Uint8Array) => T): T | undefined {
  let bytes: Uint8Array;
  try {
    bytes = encode().slice();
  } catch (error) {
    if (isEventumError(error, 'ERR_INVALID_ARGUMENT')) return undefined;
    throw new FuzzFailure(`encoding a decoded value threw ${describeError(error)}`, {
      cause: error,
    });
  }
  try {
    return decode(bytes);
  } catch (error) {
    throw new FuzzFailure(`decoding a re-encoded value threw ${describeError(error)}`, {
      cause: error,
    });
  }
}

/** Strict equality, except that a JSON -0 and 0 are the same number (`JSON.stringify(-0)` is
 * `0`: re-encoding a decoded JSON payload keeps its value, not its spelling). */
function sameValue(actual: unknown, expected: unknown, what: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch {
    try {
      deepStrictEqual(withoutNegativeZero(actual), withoutNegativeZero(expected));
    } catch (error) {
      throw new FuzzFailure(`${what} differs`, { cause: error });
    }
  }
}

function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  const entries = Object.entries(value as Record<string, unknown>);
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutNegativeZero(v)]));
}

/** Fails when `value` has more than VALUES_PER_BYTE values (nodes) per input byte. */
function checkBounded(value: unknown, inputLength: number): void {
  const limit = VALUES_PER_BYTE * inputLength + 16;
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > limit) {
      throw new FuzzFailure(`${inputLength} bytes decoded to more than ${limit} values`);
    }
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push(child);
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  }
  return String(error);
}
