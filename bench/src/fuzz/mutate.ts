/**
 * Seeded mutation of corpus entries. Input `index` of a run with seed `seed` is a pure function
 * of `(seed, index)`: its own generator is seeded from both, so one failing input is reproduced
 * from those two numbers alone, without replaying the inputs before it.
 */
import type { CorpusEntry } from './corpus.js';
import { concat } from './corpus.js';

/** A small, fast generator (sfc32); `next()` gives 32 random bits. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, stream = 0) {
    this.#a = seed >>> 0;
    this.#b = Math.imul(stream ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    this.#c = Math.imul(seed ^ 0xc2b2ae35, 0x27d4eb2f) >>> 0;
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** An integer in `[0, n)`; 0 when `n ≤ 0`. */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }

  chance(p: number): boolean {
    return this.next() < p * 2 ** 32;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

/** One fuzz input and how it was made (for the failure report). */
export interface FuzzInput {
  readonly index: number;
  readonly base: CorpusEntry;
  readonly mutations: readonly string[];
  readonly bytes: Uint8Array;
  /** Generator for the input's other choices (chunking, decoder options), already advanced. */
  readonly rng: Rng;
}

type Mutation = (bytes: Uint8Array, rng: Rng, corpus: readonly CorpusEntry[]) => Uint8Array;

/** Byte values at the edges of SBS encodings: Integer continuation, sign, Choice, Boolean. */
const interestingBytes = [0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xbf, 0xc0, 0xff];
/** Lengths and counts at the edges of the decoders' checks. */
const interestingNumbers = [0, 1, -1, 63, 64, 127, 128, 255, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53)];

/** SBS Integer encoding (hat-event.md §2.2) of a safe integer: big-endian 7-bit groups, the last
 * byte flagged with 0x80, two's complement sign in bit 6 of the first byte. */
export function sbsInteger(value: number): Uint8Array {
  const groups: number[] = [];
  let v = value;
  for (;;) {
    const group = ((v % 128) + 128) % 128;
    groups.unshift(group);
    v = (v - group) / 128;
    const signOk = (group & 0x40) === 0 ? v === 0 : v === -1;
    if (signOk) break;
  }
  groups[groups.length - 1]! |= 0x80;
  return Uint8Array.from(groups);
}

const at = (bytes: Uint8Array, rng: Rng) => rng.below(bytes.length + 1);
const splice = (bytes: Uint8Array, start: number, removed: number, inserted: Uint8Array) =>
  concat([bytes.subarray(0, start), inserted, bytes.subarray(start + removed)]);

const mutations: Readonly<Record<string, Mutation>> = {
  flipBit(bytes, rng) {
    if (bytes.length === 0) return bytes;
    const out = bytes.slice();
    out[rng.below(out.length)]! ^= 1 << rng.below(8);
    return out;
  },
  setByte(bytes, rng) {
    if (bytes.length === 0) return bytes;
    const out = bytes.slice();
    out[rng.below(out.length)] = rng.chance(0.5) ? rng.pick(interestingBytes) : rng.below(256);
    return out;
  },
  insertBytes(bytes, rng) {
    const inserted = Uint8Array.from({ length: 1 + rng.below(8) }, () => rng.below(256));
    return splice(bytes, at(bytes, rng), 0, inserted);
  },
  deleteBytes(bytes, rng) {
    const start = rng.below(bytes.length);
    return splice(
      bytes,
      start,
      1 + rng.below(Math.min(16, bytes.length - start)),
      new Uint8Array(),
    );
  },
  duplicateRange(bytes, rng) {
    const start = rng.below(bytes.length);
    const copy = bytes.slice(start, start + 1 + rng.below(32));
    return splice(bytes, at(bytes, rng), 0, copy);
  },
  truncate(bytes, rng) {
    return bytes.subarray(0, rng.below(bytes.length));
  },
  /** Overwrites the bytes at a random offset with an SBS Integer (a length, count or index). */
  tamperInteger(bytes, rng) {
    const value = rng.chance(0.6) ? rng.pick(interestingNumbers) : rng.below(bytes.length * 2 + 2);
    const encoded = sbsInteger(value);
    const start = rng.below(bytes.length);
    return splice(
      bytes,
      start,
      rng.below(Math.min(encoded.length + 1, bytes.length - start + 1)),
      encoded,
    );
  },
  /** Rewrites the chatter frame header: its size byte `m` and declared length `k`. */
  tamperFrameHeader(bytes, rng) {
    const m = bytes[0] ?? 1;
    const body = bytes.subarray(1 + Math.min(m, 8));
    const length = frameLength(body.length, rng);
    const size = rng.chance(0.1) ? rng.pick([0, 9, 255]) : 1 + rng.below(8);
    const header = new Uint8Array(1 + Math.min(size, 8));
    header[0] = size;
    let rest = length;
    for (let i = header.length - 1; i > 0; i--) {
      header[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return concat([header, body]);
  },
  /** A prefix of this input followed by a suffix of another corpus entry. */
  spliceFrames(bytes, rng, corpus) {
    const other = rng.pick(corpus).bytes;
    return concat([bytes.subarray(0, at(bytes, rng)), other.subarray(rng.below(other.length + 1))]);
  },
  /** Another whole corpus entry appended (a second message in the stream). */
  appendEntry(bytes, rng, corpus) {
    return concat([bytes, rng.pick(corpus).bytes]);
  },
};

function frameLength(actual: number, rng: Rng): number {
  switch (rng.below(4)) {
    case 0:
      return Math.max(0, actual + rng.below(9) - 4);
    case 1:
      return rng.pick([0, 255, 256, 65_535, 2 ** 24, 2 ** 26, 2 ** 26 + 1, 2 ** 32]);
    case 2:
      return rng.below(2 ** 31);
    default:
      return Number.MAX_SAFE_INTEGER - rng.below(1000);
  }
}

const mutationNames = Object.keys(mutations);

/** Input `index` of the run seeded with `seed`: a corpus entry with 0-4 stacked mutations (a
 * sixteenth of the inputs are unmutated or pure random bytes). */
export function makeInput(corpus: readonly CorpusEntry[], seed: number, index: number): FuzzInput {
  const rng = new Rng(seed, index);
  const base = corpus[rng.below(corpus.length)] as CorpusEntry;
  if (rng.chance(1 / 32)) {
    const bytes = Uint8Array.from({ length: rng.below(96) }, () => rng.below(256));
    return { index, base, mutations: ['randomBytes'], bytes, rng };
  }
  let bytes = base.bytes;
  const applied: string[] = [];
  const count = rng.chance(1 / 32) ? 0 : 1 + rng.below(4);
  for (let i = 0; i < count; i++) {
    const name = rng.pick(mutationNames);
    applied.push(name);
    bytes = (mutations[name] as Mutation)(bytes, rng, corpus);
  }
  return { index, base, mutations: applied, bytes, rng };
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
