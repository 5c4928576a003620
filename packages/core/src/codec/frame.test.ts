// Chatter framing over TCP, spec: hat-event.md §2.1:
// `[m: u8][k: m bytes, big-endian unsigned][message: k bytes]`, m minimal and ≥ 1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, ProtocolError } from '../errors.js';
import { DEFAULT_MAX_FRAME_SIZE, FrameDecoder, encodeFrame, frameHeaderLength } from './frame.js';
import { hex, toHex } from '../testing/hex.js';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('encodeFrame', () => {
  it('uses the minimal length size', () => {
    assert.equal(toHex(encodeFrame(new Uint8Array())), '01 00');
    assert.equal(toHex(encodeFrame(hex('aa bb'))), '01 02 aa bb');
    const header = (n: number) =>
      toHex(encodeFrame(new Uint8Array(n)).subarray(0, frameHeaderLength(n)));
    assert.equal(header(255), '01 ff');
    assert.equal(header(256), '02 01 00');
    assert.equal(header(65_535), '02 ff ff');
    assert.equal(header(65_536), '03 01 00 00');
  });

  it('copies the body', () => {
    const body = hex('01');
    const frame = encodeFrame(body);
    body[0] = 2;
    assert.equal(toHex(frame), '01 01 01');
  });
});

describe('FrameDecoder', () => {
  it('has a documented 64 MiB default limit', () => {
    assert.equal(DEFAULT_MAX_FRAME_SIZE, 64 * 1024 * 1024);
  });

  it('splits several frames out of one chunk', () => {
    const frames = new FrameDecoder().push(hex('01 01 aa 01 00 02 00 02 bb cc'));
    assert.deepEqual(frames.map(toHex), ['aa', '', 'bb cc']);
  });

  it('reassembles a frame fed one byte at a time', () => {
    const decoder = new FrameDecoder();
    const frame = hex('02 00 03 01 02 03');
    const out: Uint8Array[] = [];
    for (const b of frame) {
      out.push(...decoder.push(new Uint8Array([b])));
      if (out.length === 0) assert.equal(decoder.buffered > 0, true);
    }
    assert.deepEqual(out.map(toHex), ['01 02 03']);
    assert.equal(decoder.buffered, 0);
  });

  it('reassembles a large frame that arrives in many chunks', () => {
    const body = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);
    const stream = encodeFrame(body);
    const decoder = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += 7000) {
      out.push(...decoder.push(stream.subarray(at, at + 7000)));
      if (out.length === 0) assert.equal(decoder.buffered, Math.min(at + 7000, stream.length));
    }
    assert.equal(out.length, 1);
    assert.deepEqual(out[0], body);
  });

  it('returns nothing for an empty chunk', () => {
    assert.deepEqual(new FrameDecoder().push(new Uint8Array()), []);
  });

  for (const m of [0, 9, 255]) {
    it(`rejects a length size m = ${m}`, () => {
      assert.throws(() => new FrameDecoder().push(new Uint8Array([m, 1, 2])), {
        name: 'ProtocolError',
        message: `frame: invalid length size m = ${m} (expected 1..8)`,
      });
    });
  }

  it('rejects a declared size over the limit before buffering the body', () => {
    const decoder = new FrameDecoder(1000);
    assert.throws(() => decoder.push(hex('02 03 e9')), {
      name: 'ProtocolError',
      message: 'frame: declared size exceeds the limit of 1000 bytes',
    });
    assert.deepEqual(
      new FrameDecoder(1000).push(concat([hex('02 03 e8'), new Uint8Array(1000)]))[0]?.length,
      1000,
    );
  });

  it('rejects an 8-byte size of 2^64 − 1 without allocating', () => {
    assert.throws(() => new FrameDecoder().push(hex('08 ff ff ff ff ff ff ff ff')), ProtocolError);
  });

  it('stays failed after an error', () => {
    const decoder = new FrameDecoder();
    assert.throws(() => decoder.push(hex('00')), ProtocolError);
    assert.throws(() => decoder.push(hex('01 00')), {
      name: 'ProtocolError',
      message: 'frame: decoder unusable after an earlier error',
    });
  });

  it('rejects an invalid maxFrameSize', () => {
    assert.throws(() => new FrameDecoder(-1), { code: ErrorCode.InvalidArgument });
  });

  it('reassembles frames under any chunking (property)', () => {
    const bodies = fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 8 });
    const cuts = fc.array(fc.nat(), { maxLength: 20 });
    fc.assert(
      fc.property(bodies, cuts, (parts, cutPoints) => {
        const stream = concat(parts.map(encodeFrame));
        const points = [...new Set(cutPoints.map((c) => c % (stream.length + 1)))].sort(
          (a, b) => a - b,
        );
        const decoder = new FrameDecoder();
        const out: Uint8Array[] = [];
        let start = 0;
        for (const end of [...points, stream.length]) {
          out.push(...decoder.push(stream.subarray(start, end)));
          start = end;
        }
        assert.deepEqual(out.map(toHex), parts.map(toHex));
        assert.equal(decoder.buffered, 0);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but ProtocolError on random streams (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        const decoder = new FrameDecoder(4096);
        try {
          for (const chunk of chunks) decoder.push(chunk);
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
