/**
 * What one connection of the network fuzzer sends: a plan drawn from `(seed, index)` alone, so
 * a failing connection is replayed from those two numbers. Kinds: a session with a mutated frame
 * (after a valid `MsgInitReq` or not), a frame cut short, a length prefix above the server's
 * limit, random bytes, and a valid session sent one byte at a time.
 */
import { buildCorpus, concat, initFrame } from './corpus.js';
import type { CorpusEntry } from './corpus.js';
import { Rng, makeInput } from './mutate.js';

export type PlanKind = 'mutated' | 'half-frame' | 'oversized' | 'random' | 'trickle';

export interface ConnectionPlan {
  readonly index: number;
  readonly kind: PlanKind;
  /** What the mutated part came from, for the report. */
  readonly description: string;
  /** Written in this order, `delaysMs[i]` after chunk i (0: the next turn of the event loop). */
  readonly chunks: readonly Uint8Array[];
  readonly delaysMs: readonly number[];
  /** How the client leaves once everything is sent: FIN, or RST (destroy). */
  readonly ending: 'end' | 'destroy';
  /** The bytes are malformed however the server reads them: it must close with ERR_PROTOCOL. */
  readonly expectProtocolError: boolean;
}

const streams: readonly CorpusEntry[] = buildCorpus().filter((e) => e.kind === 'stream');
const validSession = streams.find((e) => e.name === 'session') as CorpusEntry;

/** Connection `index` of the network run seeded with `seed`. */
export function planConnection(seed: number, index: number, maxFrameSize: number): ConnectionPlan {
  const rng = new Rng(seed ^ 0x6e657466, index);
  const roll = rng.below(100);
  const init = rng.chance(0.6) ? [initFrame] : [];
  const base = { index, delaysMs: [] as number[], ending: 'end' as const };
  if (roll < 50) {
    const input = makeInput(streams, seed, index);
    const description = `${input.base.name} + [${input.mutations.join(', ')}]`;
    const chunks = split(concat([...init, input.bytes]), rng);
    return { ...base, kind: 'mutated', description, chunks, expectProtocolError: false };
  }
  if (roll < 70) {
    const entry = rng.pick(streams);
    const cut = entry.bytes.subarray(0, 1 + rng.below(entry.bytes.length - 1));
    const ending = rng.chance(0.3) ? ('destroy' as const) : ('end' as const);
    const chunks = split(concat([...init, cut]), rng);
    const description = `${entry.name} cut at ${cut.length} of ${entry.bytes.length}`;
    return { ...base, kind: 'half-frame', description, chunks, ending, expectProtocolError: false };
  }
  if (roll < 80) return oversized(base, init, rng, maxFrameSize);
  if (roll < 92) {
    const bytes = Uint8Array.from({ length: 1 + rng.below(300) }, () => rng.below(256));
    const first = bytes[0] as number;
    const expectProtocolError = first === 0 || first > 8;
    const chunks = split(bytes, rng);
    return {
      ...base,
      kind: 'random',
      description: `${bytes.length} random bytes`,
      chunks,
      expectProtocolError,
    };
  }
  const bytes = validSession.bytes;
  const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
  const delaysMs = chunks.map(() => (rng.chance(0.05) ? 1 : 0));
  return {
    ...base,
    kind: 'trickle',
    description: 'a valid session, byte by byte',
    chunks,
    delaysMs,
    expectProtocolError: false,
  };
}

/** A frame header declaring more than `maxFrameSize` bytes, then a little of a body. */
function oversized(
  base: Pick<ConnectionPlan, 'index' | 'delaysMs' | 'ending'>,
  init: readonly Uint8Array[],
  rng: Rng,
  maxFrameSize: number,
): ConnectionPlan {
  const declared = rng.chance(0.5)
    ? maxFrameSize + 1 + rng.below(1024)
    : 2 ** 53 - 1 - rng.below(1000);
  const m = Math.max(Math.ceil(Math.log2(declared + 1) / 8), 1 + rng.below(8));
  const header = new Uint8Array(1 + m);
  header[0] = m;
  let rest = declared;
  for (let i = m; i > 0; i--) {
    header[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  const body = Uint8Array.from({ length: rng.below(64) }, () => rng.below(256));
  const chunks = split(concat([...init, header, body]), rng);
  const description = `frame header declaring ${declared} bytes (limit ${maxFrameSize})`;
  return { ...base, kind: 'oversized', description, chunks, expectProtocolError: true };
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
