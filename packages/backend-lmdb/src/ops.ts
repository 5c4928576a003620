import { DB_NAMES } from './environment.js';
import type { DbName } from './environment.js';

/*
 * The write log a flush hands to the writer thread: transferable chunks of records
 * `op (u8) ‖ db (u8) ‖ key length (u16 BE) ‖ value length (u32 BE) ‖ key ‖ value`. A record
 * never spans two chunks.
 */

/** Record kinds of the write log. */
export const Op = {
  /** Put `value` at `key`. */
  Put: 1,
  /** Remove `key`. */
  Remove: 2,
  /** REF only: drop the latest reference to type ref `value` (u64) from the record at `key`. */
  DropLatestRef: 3,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Size of a log chunk (a larger record gets a chunk of its own size). */
export const CHUNK_BYTES = 1 << 20;
/** Most chunk bytes a {@link ChunkPool} keeps. */
const POOL_BYTES = 256 << 20;
const HEADER_BYTES = 8;
const dbIndex = new Map<DbName, number>(DB_NAMES.map((name, i) => [name, i]));

/**
 * Chunks handed back by the writer thread, for the next logs: fresh memory costs a page fault
 * per 4 KiB on first touch, which for a large flush costs more than filling it.
 */
export class ChunkPool {
  readonly #free: ArrayBuffer[] = [];
  #bytes = 0;

  take(size: number): Buffer {
    if (size <= CHUNK_BYTES) {
      const free = this.#free.pop();
      if (free !== undefined) {
        this.#bytes -= free.byteLength;
        return Buffer.from(free);
      }
    }
    return Buffer.allocUnsafeSlow(Math.max(size, CHUNK_BYTES));
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength !== CHUNK_BYTES || this.#bytes >= POOL_BYTES) continue;
      this.#free.push(buffer);
      this.#bytes += buffer.byteLength;
    }
  }
}

/** Appends write-log records to chunks taken from a pool. */
export class OpsWriter {
  readonly #pool: ChunkPool;
  readonly #done: Uint8Array[] = [];
  #chunk: Buffer;
  #length = 0;
  #count = 0;

  constructor(pool: ChunkPool = new ChunkPool()) {
    this.#pool = pool;
    this.#chunk = pool.take(CHUNK_BYTES);
  }

  /** Number of records written. */
  get count(): number {
    return this.#count;
  }

  add(op: Op, db: DbName, key: Uint8Array, value: Uint8Array | null = null): void {
    const valueLength = value === null ? 0 : value.length;
    const size = HEADER_BYTES + key.length + valueLength;
    if (this.#length + size > this.#chunk.length) this.#next(size);
    const chunk = this.#chunk;
    let offset = this.#length;
    chunk[offset] = op;
    chunk[offset + 1] = dbIndex.get(db) as number;
    chunk.writeUInt16BE(key.length, offset + 2);
    chunk.writeUInt32BE(valueLength, offset + 4);
    offset += HEADER_BYTES;
    chunk.set(key, offset);
    if (value !== null) chunk.set(value, offset + key.length);
    this.#length += size;
    this.#count++;
  }

  /**
   * The chunks written, as views of ArrayBuffers of their own (never Node's shared pool), so
   * they can be transferred. Write nothing afterwards.
   */
  finish(): Uint8Array[] {
    this.#next(0);
    return this.#done;
  }

  #next(size: number): void {
    if (this.#length > 0) {
      const { buffer, byteOffset } = this.#chunk;
      this.#done.push(new Uint8Array(buffer, byteOffset, this.#length));
    }
    this.#length = 0;
    if (size > 0) this.#chunk = this.#pool.take(size);
  }
}

/** One decoded record; `key` and `value` are views into the log. */
export interface OpRecord {
  readonly op: Op;
  readonly db: DbName;
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Calls `visit` for each record of a write log's chunks, in order. */
export function forEachOp(chunks: readonly Uint8Array[], visit: (record: OpRecord) => void): void {
  for (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let offset = 0;
    while (offset < buffer.length) {
      const keyLength = buffer.readUInt16BE(offset + 2);
      const valueLength = buffer.readUInt32BE(offset + 4);
      const keyStart = offset + HEADER_BYTES;
      const valueStart = keyStart + keyLength;
      visit({
        op: buffer[offset] as Op,
        db: DB_NAMES[buffer[offset + 1] as number] as DbName,
        key: buffer.subarray(keyStart, valueStart),
        value: buffer.subarray(valueStart, valueStart + valueLength),
      });
      offset = valueStart + valueLength;
    }
  }
}
