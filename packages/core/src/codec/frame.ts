import { ProtocolError, invalidArgument } from '../errors.js';

/**
 * Chatter framing over a byte stream, spec: hat-event.md §2.1.
 * A frame is `[m: u8][k: m bytes, big-endian unsigned][body: k bytes]`; writers use the minimal
 * `m ≥ 1`, readers accept any `m` in 1..8.
 */

/**
 * Default largest frame body a {@link FrameDecoder} accepts: 64 MiB. Hat itself has no limit;
 * a cap keeps a peer from making us buffer arbitrarily much. A frame holds one chatter message,
 * so this also caps one `MsgEventsNotify`/`MsgQueryRes` (at ~100 B/event, ~600k events).
 */
export const DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;

/** Largest `m` a reader accepts: 8 bytes of length. */
const MAX_LENGTH_BYTES = 8;
/** First buffer size for a frame split across chunks; it doubles as data arrives. */
const INITIAL_BODY_CAPACITY = 64 * 1024;

/** Bytes of the frame header (`m` and `k`) for a body of `bodyLength` bytes. */
export function frameHeaderLength(bodyLength: number): number {
  let m = 1;
  for (let rest = Math.floor(bodyLength / 256); rest > 0; rest = Math.floor(rest / 256)) m++;
  return 1 + m;
}

/** Writes the frame header for a body of `bodyLength` bytes at `target[offset]`; returns the
 * offset just after it. `target` must have room ({@link frameHeaderLength}). */
export function writeFrameHeader(target: Uint8Array, offset: number, bodyLength: number): number {
  if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) {
    throw invalidArgument(`frame: invalid body length ${bodyLength}`);
  }
  const m = frameHeaderLength(bodyLength) - 1;
  target[offset] = m;
  let rest = bodyLength;
  for (let i = offset + m; i > offset; i--) {
    target[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return offset + 1 + m;
}

/** Returns a new buffer holding the frame header followed by a copy of `body`. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(frameHeaderLength(body.length) + body.length);
  out.set(body, writeFrameHeader(out, 0, body.length));
  return out;
}

/**
 * Reassembles frames from a byte stream split at arbitrary points. Validates each header before
 * buffering its body: `m` must be 1..8 and `k` at most `maxFrameSize`, else {@link ProtocolError}.
 * Memory held for an incomplete frame is at most about twice the bytes received of it.
 * After an error the stream is out of sync and the decoder rejects every further chunk.
 *
 * Ownership: a returned frame body may be a view into a pushed chunk (zero-copy when the whole
 * body arrived in one chunk) or a buffer of the decoder's; the decoder never writes to either
 * after returning it, so callers must simply not modify the chunks they push.
 */
export class FrameDecoder {
  readonly #maxFrameSize: number;
  /** Header bytes still expected: -1 = waiting for `m`, n > 0 = n bytes of `k` left. */
  #headerLeft = -1;
  #headerRead = 0;
  #length = 0;
  #body: Uint8Array | null = null;
  #filled = 0;
  #failed: ProtocolError | null = null;

  constructor(maxFrameSize = DEFAULT_MAX_FRAME_SIZE) {
    if (!Number.isSafeInteger(maxFrameSize) || maxFrameSize < 0) {
      throw invalidArgument(`FrameDecoder: invalid maxFrameSize ${maxFrameSize}`);
    }
    this.#maxFrameSize = maxFrameSize;
  }

  /** Bytes of an incomplete frame held so far (header plus body). */
  get buffered(): number {
    return this.#headerRead + (this.#body === null ? 0 : this.#filled);
  }

  /** Feeds `chunk`; returns the frame bodies it completed, in order (possibly none). */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failed !== null) {
      throw new ProtocolError('frame: decoder unusable after an earlier error', {
        cause: this.#failed,
      });
    }
    const frames: Uint8Array[] = [];
    let pos = 0;
    try {
      while (pos < chunk.length) pos = this.#step(chunk, pos, frames);
    } catch (error) {
      if (error instanceof ProtocolError) this.#failed = error;
      throw error;
    }
    return frames;
  }

  /** Consumes bytes of `chunk` from `pos` for the current state; returns the new position. */
  #step(chunk: Uint8Array, pos: number, frames: Uint8Array[]): number {
    if (this.#body !== null) return this.#fillBody(chunk, pos, frames);
    const byte = chunk[pos] ?? 0;
    this.#headerRead++;
    if (this.#headerLeft === -1) {
      if (byte === 0 || byte > MAX_LENGTH_BYTES) {
        throw new ProtocolError(
          `frame: invalid length size m = ${byte} (expected 1..${MAX_LENGTH_BYTES})`,
        );
      }
      this.#headerLeft = byte;
      this.#length = 0;
      return pos + 1;
    }
    this.#length = this.#length * 256 + byte;
    if (this.#length > this.#maxFrameSize) {
      throw new ProtocolError(
        `frame: declared size exceeds the limit of ${this.#maxFrameSize} bytes`,
      );
    }
    if (--this.#headerLeft > 0) return pos + 1;
    this.#headerLeft = -1;
    return this.#startBody(chunk, pos + 1, frames);
  }

  /** The header is complete: emit the body directly from `chunk` if it is all there. */
  #startBody(chunk: Uint8Array, pos: number, frames: Uint8Array[]): number {
    const length = this.#length;
    if (chunk.length - pos >= length) {
      this.#headerRead = 0;
      frames.push(chunk.subarray(pos, pos + length));
      return pos + length;
    }
    // Grow with the data rather than trusting the header, so a peer that declares a large frame
    // and trickles it costs at most twice what it actually sent.
    this.#body = new Uint8Array(Math.min(length, INITIAL_BODY_CAPACITY));
    this.#filled = 0;
    return this.#fillBody(chunk, pos, frames);
  }

  #fillBody(chunk: Uint8Array, pos: number, frames: Uint8Array[]): number {
    const length = this.#length;
    const n = Math.min(length - this.#filled, chunk.length - pos);
    let body = this.#body as Uint8Array;
    if (this.#filled + n > body.length) {
      const grown = new Uint8Array(Math.min(length, Math.max(2 * body.length, this.#filled + n)));
      grown.set(body.subarray(0, this.#filled));
      body = this.#body = grown;
    }
    body.set(chunk.subarray(pos, pos + n), this.#filled);
    this.#filled += n;
    if (this.#filled === length) {
      frames.push(body); // capacity never exceeds `length`, so this is exactly the body
      this.#body = null;
      this.#headerRead = 0;
    }
    return pos + n;
  }
}
