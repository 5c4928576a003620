/**
 * What one connection of the network fuzzer sends: a plan drawn from `(seed, index)` alone, so
 * a failing connection is replayed from those two numbers. Kinds: a session with a mutated frame
 * (after a valid `MsgInitReq` or not), a frame cut short, a length prefix above the server's
 * limit, random bytes, a valid session sent one byte at a time, and a client that sends many
 * queries and never reads their answers.
 */
import { encodeEventerFrame } from '@eventum/core';

import { buildCorpus, concat, initFrame } from './corpus.js';
import type { CorpusEntry } from './corpus.js';
import { Rng, makeInput } from './mutate.js';

export type PlanKind = 'mutated' | 'half-frame' | 'oversized' | 'random' | 'trickle' | 'no-reader';

export interface ConnectionPlan {
  readonly index: number;
  readonly kind: PlanKind;
  /** What was sent, for the report. */
  readonly description: string;
  /** Written in this order, `delaysMs[i]` after chunk i (0: the next turn of the event loop). */
  readonly chunks: readonly Uint8Array[];
  readonly delaysMs: readonly number[];
  /** False: the client never reads what the server sends. */
  readonly reads: boolean;
  /** How the client leaves once everything is sent: FIN, or RST (destroy). */
  readonly ending: 'end' | 'destroy';
  /** The bytes are malformed however the server reads them: it must close with ERR_PROTOCOL. */
  readonly expectProtocolError: boolean;
}

type Draft = Pick<ConnectionPlan, 'kind' | 'description' | 'chunks'> & Partial<ConnectionPlan>;
interface PlanContext {
  readonly seed: number;
  readonly index: number;
  /** Largest frame the fuzzed server accepts. */
  readonly maxFrameSize: number;
}
type Maker = (rng: Rng, init: readonly Uint8Array[], context: PlanContext) => Draft;

const streams: readonly CorpusEntry[] = buildCorpus().filter((e) => e.kind === 'stream');
const validSession = streams.find((e) => e.name === 'session') as CorpusEntry;

/** The kinds with their share of connections, in percent. */
const makers: readonly (readonly [number, Maker])[] = [
  [50, mutated],
  [18, halfFrame],
  [10, oversized],
  [12, randomBytes],
  [6, trickle],
  [4, noReader],
];

/** Connection `index` of the network run seeded with `seed`, for a server that accepts frames
 * of up to `maxFrameSize` bytes. */
export function planConnection(seed: number, index: number, maxFrameSize: number): ConnectionPlan {
  const rng = new Rng(seed ^ 0x6e657466, index);
  let roll = rng.below(100);
  const init = rng.chance(0.6) ? [initFrame] : [];
  const maker = makers.find(([share]) => (roll -= share) < 0)?.[1] ?? mutated;
  const draft = maker(rng, init, { seed, index, maxFrameSize });
  const defaults = {
    delaysMs: [],
    reads: true,
    ending: 'end' as const,
    expectProtocolError: false,
  };
  return { index, ...defaults, ...draft };
}

function mutated(rng: Rng, init: readonly Uint8Array[], { seed, index }: PlanContext): Draft {
  const input = makeInput(streams, seed, index);
  const description = `${input.base.name} + [${input.mutations.join(', ')}]`;
  return { kind: 'mutated', description, chunks: split(concat([...init, input.bytes]), rng) };
}

function halfFrame(rng: Rng, init: readonly Uint8Array[]): Draft {
  const entry = rng.pick(streams);
  const cut = entry.bytes.subarray(0, 1 + rng.below(entry.bytes.length - 1));
  const ending = rng.chance(0.3) ? ('destroy' as const) : ('end' as const);
  const description = `${entry.name} cut at ${cut.length} of ${entry.bytes.length}`;
  return { kind: 'half-frame', description, chunks: split(concat([...init, cut]), rng), ending };
}

/** A frame header declaring more than the limit, then a little of a body. */
function oversized(rng: Rng, init: readonly Uint8Array[], { maxFrameSize }: PlanContext): Draft {
  const declared = rng.chance(0.5)
    ? maxFrameSize + 1 + rng.below(1024)
    : Number.MAX_SAFE_INTEGER - rng.below(1000);
  const m = Math.max(Math.ceil(Math.log2(declared + 1) / 8), 1 + rng.below(8));
  const header = new Uint8Array(1 + m);
  header[0] = m;
  for (let i = m, rest = declared; i > 0; i--, rest = Math.floor(rest / 256)) {
    header[i] = rest % 256;
  }
  const body = Uint8Array.from({ length: rng.below(64) }, () => rng.below(256));
  const description = `frame header declaring ${declared} bytes (limit ${maxFrameSize})`;
  const chunks = split(concat([...init, header, body]), rng);
  return { kind: 'oversized', description, chunks, expectProtocolError: true };
}

/** Random bytes: malformed for sure when the first is not a valid size byte (1..8). */
function randomBytes(rng: Rng): Draft {
  const bytes = Uint8Array.from({ length: 1 + rng.below(300) }, () => rng.below(256));
  const first = bytes[0] as number;
  const description = `${bytes.length} random bytes`;
  const expectProtocolError = first === 0 || first > 8;
  return { kind: 'random', description, chunks: split(bytes, rng), expectProtocolError };
}

function trickle(rng: Rng): Draft {
  const chunks = Array.from(validSession.bytes, (b) => Uint8Array.of(b));
  const delaysMs = chunks.map(() => (rng.chance(0.05) ? 1 : 0));
  return { kind: 'trickle', description: 'a valid session, byte by byte', chunks, delaysMs };
}

/** Queries for every type's latest event, answered in full, never read; then a reset. */
function noReader(rng: Rng): Draft {
  const count = 200 + rng.below(800);
  const query = { type: 'HatEventer.MsgQueryReq', data: { type: 'latest' } } as const;
  const frames = Array.from({ length: count }, (_, i) => {
    const id = i + 2;
    return encodeEventerFrame({ id, first: id, owner: true, token: true, last: false }, query);
  });
  const description = `${count} latest queries, answers never read`;
  const chunks = [initFrame, concat(frames)];
  return { kind: 'no-reader', description, chunks, reads: false, ending: 'destroy' };
}

/** Cuts `bytes` into 1-4 chunks at random points. */
function split(bytes: Uint8Array, rng: Rng): Uint8Array[] {
  const cuts = Array.from({ length: rng.below(4) }, () => rng.below(bytes.length + 1));
  cuts.sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > from) chunks.push(bytes.subarray(from, cut));
    from = Math.max(from, cut);
  }
  return chunks;
}
