// SBS writer, spec: hat-event.md §2.2 (SBS encoding essentials).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../errors.js';
import { SbsWriter, integerByteLength } from './sbs-writer.js';
import { toHex } from '../testing/hex.js';

function encode(write: (w: SbsWriter) => void): string {
  const w = new SbsWriter();
  write(w);
  return toHex(w.finish());
}

const invalidArgument = { code: ErrorCode.InvalidArgument };

describe('SbsWriter', () => {
  describe('writeInteger', () => {
    // §2.2 vectors, plus the safe-integer extremes (8 bytes = 56 bits of two's complement).
    const vectors: [number, string][] = [
      [0, '80'],
      [1, '81'],
      [63, 'bf'],
      [64, '00 c0'],
      [127, '00 ff'],
      [128, '01 80'],
      [-1, 'ff'],
      [-64, 'c0'],
      [-65, '7f bf'],
      [1700000000, '06 2a 4f 62 80'],
      [2 ** 31, '08 00 00 00 80'],
      [-(2 ** 31) - 1, '77 7f 7f 7f ff'],
      [Number.MAX_SAFE_INTEGER, '0f 7f 7f 7f 7f 7f 7f ff'],
      [-Number.MAX_SAFE_INTEGER, '70 00 00 00 00 00 00 81'],
    ];
    for (const [n, bytes] of vectors) {
      it(`encodes ${n} as ${bytes}`, () => {
        assert.equal(
          encode((w) => w.writeInteger(n)),
          bytes,
        );
        assert.equal(integerByteLength(n), bytes.split(' ').length);
      });
    }

    it('encodes -0 as 0', () => {
      assert.equal(
        encode((w) => w.writeInteger(-0)),
        '80',
      );
    });

    for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]) {
      it(`rejects ${bad} with ERR_INVALID_ARGUMENT`, () => {
        assert.throws(() => new SbsWriter().writeInteger(bad), invalidArgument);
      });
    }
  });

  describe('writeBigInteger', () => {
    // Hat's timestamp bounds use ±2^63 (hat-event.md §1.4).
    const vectors: [bigint, string][] = [
      [0n, '80'],
      [-65n, '7f bf'],
      [2n ** 63n - 1n, '00 7f 7f 7f 7f 7f 7f 7f 7f ff'],
      [-(2n ** 63n), '7f 00 00 00 00 00 00 00 00 80'],
      [2n ** 53n, '10 00 00 00 00 00 00 80'],
      [-(2n ** 53n), '70 00 00 00 00 00 00 80'],
    ];
    for (const [n, bytes] of vectors) {
      it(`encodes ${n} as ${bytes}`, () => {
        assert.equal(
          encode((w) => w.writeBigInteger(n)),
          bytes,
        );
      });
    }
  });

  it('writes booleans as 01/00 and None as nothing', () => {
    assert.equal(
      encode((w) => {
        w.writeBoolean(true);
        w.writeNone();
        w.writeBoolean(false);
      }),
      '01 00',
    );
  });

  it('writes floats as IEEE 754 big-endian', () => {
    assert.equal(
      encode((w) => w.writeFloat(1.5)),
      '3f f8 00 00 00 00 00 00',
    );
    assert.equal(
      encode((w) => w.writeFloat(-0)),
      '80 00 00 00 00 00 00 00',
    );
  });

  describe('writeString', () => {
    it('writes a length-prefixed ASCII string', () => {
      assert.equal(
        encode((w) => w.writeString('HatEventer.MsgInitReq')),
        '95 48 61 74 45 76 65 6e 74 65 72 2e 4d 73 67 49 6e 69 74 52 65 71',
      );
      assert.equal(
        encode((w) => w.writeString('')),
        '80',
      );
    });

    it('writes the UTF-8 byte length, not the UTF-16 length', () => {
      assert.equal(
        encode((w) => w.writeString('é€😀')),
        '89 c3 a9 e2 82 ac f0 9f 98 80',
      );
    });

    it('matches TextEncoder for every length/prefix combination', () => {
      const samples = ['a', 'é', '€', '😀', 'ab\u0000'];
      for (const unit of samples) {
        for (const count of [1, 31, 32, 33, 63, 64, 100, 3000]) {
          const s = unit.repeat(count);
          const utf8 = new TextEncoder().encode(s);
          const w = new SbsWriter();
          w.writeInteger(utf8.length);
          w.writeRaw(utf8);
          const expected = toHex(w.finish());
          assert.equal(
            encode((x) => x.writeString(s)),
            expected,
            `${JSON.stringify(unit)} × ${count}`,
          );
        }
      }
    });

    it('writes a lone surrogate as U+FFFD', () => {
      assert.equal(
        encode((w) => w.writeString('\ud800')),
        '83 ef bf bd',
      );
    });
  });

  it('writes bytes with a length prefix', () => {
    assert.equal(
      encode((w) => w.writeBytes(new Uint8Array([1, 2, 255]))),
      '83 01 02 ff',
    );
  });

  it('writes array and choice headers as Integers and rejects negatives', () => {
    assert.equal(
      encode((w) => {
        w.writeArrayLength(64);
        w.writeChoice(2);
      }),
      '00 c0 82',
    );
    assert.throws(() => new SbsWriter().writeArrayLength(-1), invalidArgument);
    assert.throws(() => new SbsWriter().writeChoice(-1), invalidArgument);
  });

  describe('ownership', () => {
    it('never modifies a finished result when encoding further messages', () => {
      const w = new SbsWriter(256);
      const results: [Uint8Array, number][] = [];
      for (let i = 0; i < 2000; i++) {
        for (let j = 0; j <= i % 50; j++) w.writeInteger(i % 64);
        results.push([w.finish(), i % 64]);
      }
      for (const [bytes, value] of results) {
        assert.equal(bytes.length > 0, true);
        for (const b of bytes) assert.equal(b, 0x80 | value);
      }
    });

    it('keeps a message intact when it outgrows the slab', () => {
      const w = new SbsWriter(256);
      w.writeString('x'.repeat(200));
      const first = w.finish();
      const big = new Uint8Array(10_000).fill(7);
      w.writeBytes(big);
      const second = w.finish();
      assert.equal(second.length, 3 + big.length); // 10000 ≥ 2^13: 3-byte prefix
      assert.deepEqual(second.subarray(3), big);
      assert.equal(first.length, 202);
    });

    it('discards the current message on reset', () => {
      const w = new SbsWriter();
      w.writeInteger(5);
      w.reset();
      w.writeInteger(6);
      assert.equal(toHex(w.finish()), '86');
      assert.equal(w.length, 0);
    });

    it('gives a borrowed view of the current message', () => {
      const w = new SbsWriter();
      w.writeInteger(1);
      w.finish();
      w.writeInteger(2);
      w.writeInteger(3);
      assert.equal(toHex(w.subarray()), '82 83');
      assert.equal(toHex(w.subarray(1)), '83');
    });
  });
});
