// SBS reader, spec: hat-event.md §2.2 (SBS encoding essentials).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../errors.js';
import { SbsReader } from './sbs-reader.js';
import { SbsWriter } from './sbs-writer.js';
import { hex } from '../testing/hex.js';

const reader = (s: string): SbsReader => new SbsReader(hex(s));

function protocolError(message: RegExp | string, offset?: number) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ProtocolError, `not a ProtocolError: ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    if (offset !== undefined) assert.equal(error.offset, offset);
    return true;
  };
}

describe('SbsReader', () => {
  describe('skipBytes and rewind', () => {
    it('skip a value by its length and read it again after rewinding', () => {
      const r = reader('83 61 62 63 82 64 65');
      r.skipBytes('first');
      assert.equal(r.position, 4);
      assert.equal(r.readString(), 'de');
      r.rewind(0);
      assert.equal(r.readString(), 'abc');
    });

    it('reject a length beyond the input and a position not yet read', () => {
      assert.throws(() => reader('85 61').skipBytes('x'), protocolError(/^x: declared length 5/));
      const r = reader('81 61');
      assert.throws(() => r.rewind(1), RangeError);
    });
  });

  describe('readInteger', () => {
    const vectors: [string, number][] = [
      ['80', 0],
      ['81', 1],
      ['bf', 63],
      ['00 c0', 64],
      ['00 ff', 127],
      ['01 80', 128],
      ['ff', -1],
      ['c0', -64],
      ['7f bf', -65],
      ['06 2a 4f 62 80', 1700000000],
      ['0f 7f 7f 7f 7f 7f 7f ff', Number.MAX_SAFE_INTEGER],
      ['70 00 00 00 00 00 00 81', -Number.MAX_SAFE_INTEGER],
    ];
    for (const [bytes, n] of vectors) {
      it(`decodes ${bytes} as ${n}`, () => {
        const r = reader(bytes);
        assert.equal(r.readInteger(), n);
        r.expectEnd();
      });
    }

    it('accepts a non-minimal encoding', () => {
      assert.equal(reader('00 81').readInteger(), 1);
      assert.equal(reader('7f ff').readInteger(), -1);
    });

    it('rejects values outside the safe integer range', () => {
      assert.throws(
        () => reader('10 00 00 00 00 00 00 80').readInteger('X.n'),
        protocolError('X.n: Integer outside the safe integer range', 0),
      );
    });

    it('rejects Integers longer than 8 bytes without reading them', () => {
      assert.throws(
        () => reader('00 00 00 00 00 00 00 00 81').readInteger('X.n'),
        protocolError('X.n: Integer longer than 8 bytes'),
      );
    });

    it('rejects a truncated Integer', () => {
      assert.throws(
        () => reader('01 02').readInteger('X.n'),
        protocolError('X.n: truncated Integer'),
      );
      assert.throws(() => reader('').readInteger(), protocolError(/truncated/));
    });
  });

  describe('readIntegerSaturating', () => {
    it('saturates to ±Infinity beyond the safe range', () => {
      assert.equal(reader('00 7f 7f 7f 7f 7f 7f 7f 7f ff').readIntegerSaturating(), Infinity);
      assert.equal(reader('7f 00 00 00 00 00 00 00 00 80').readIntegerSaturating(), -Infinity);
    });
  });

  describe('readBigInteger', () => {
    it('decodes Hat timestamp bounds', () => {
      assert.equal(reader('00 7f 7f 7f 7f 7f 7f 7f 7f ff').readBigInteger(), 2n ** 63n - 1n);
      assert.equal(reader('7f 00 00 00 00 00 00 00 00 80').readBigInteger(), -(2n ** 63n));
    });

    it('caps the Integer length', () => {
      const long = new Uint8Array(65).fill(0x01);
      long[64] = 0x81;
      assert.throws(
        () => new SbsReader(long).readBigInteger('X.n'),
        protocolError('X.n: Integer longer than 64 bytes', 0),
      );
      assert.equal(new SbsReader(long).readBigInteger('X.n', 65) > 0n, true);
    });
  });

  it('reads Booleans and rejects other bytes', () => {
    const r = reader('01 00 02');
    assert.equal(r.readBoolean(), true);
    assert.equal(r.readBoolean(), false);
    assert.throws(
      () => r.readBoolean('X.flag'),
      protocolError('X.flag: invalid Boolean byte 0x02', 2),
    );
    assert.throws(() => reader('').readBoolean(), protocolError(/truncated/));
  });

  it('reads Floats and rejects truncated ones', () => {
    assert.equal(reader('3f f8 00 00 00 00 00 00').readFloat(), 1.5);
    assert.throws(() => reader('3f f8 00').readFloat(), protocolError(/truncated Float/));
  });

  describe('readString', () => {
    it('decodes ASCII and multi-byte UTF-8', () => {
      assert.equal(reader('82 68 69').readString(), 'hi');
      assert.equal(reader('89 c3 a9 e2 82 ac f0 9f 98 80').readString(), 'é€😀');
    });

    it('keeps a leading byte-order mark', () => {
      assert.equal(reader('84 ef bb bf 61').readString(), '\ufeffa');
    });

    for (const [what, bytes] of [
      ['a stray continuation byte', '81 80'],
      ['an invalid byte', '81 ff'],
      ['an overlong encoding', '82 c0 80'],
      ['an encoded surrogate', '83 ed a0 80'],
      ['a truncated sequence', '82 e2 82'],
    ]) {
      it(`rejects ${what}`, () => {
        assert.throws(
          () => reader(bytes ?? '').readString('X.s'),
          protocolError('X.s: invalid UTF-8'),
        );
      });
    }

    it('rejects a declared length beyond the input', () => {
      const bytes = new SbsWriter();
      bytes.writeInteger(1_000_000);
      bytes.writeRaw(new Uint8Array(12));
      assert.throws(
        () => new SbsReader(bytes.finish()).readString('HatEventer.Event.type'),
        protocolError(
          'HatEventer.Event.type: declared length 1000000 exceeds remaining 12 bytes',
          0,
        ),
      );
    });

    it('rejects negative and gigantic lengths', () => {
      assert.throws(() => reader('ff').readString(), protocolError(/negative length -1/));
      assert.throws(
        () => reader('10 00 00 00 00 00 00 80').readString(),
        protocolError(/declared length beyond 2\^53/),
      );
    });
  });

  it('reads Bytes as a view of the input', () => {
    const input = hex('83 01 02 03');
    const bytes = new SbsReader(input).readBytes();
    assert.deepEqual(bytes, hex('01 02 03'));
    assert.equal(bytes.buffer, input.buffer);
  });

  describe('readArrayLength', () => {
    it('rejects a count above the remaining bytes by default', () => {
      assert.throws(
        () => reader('85 01 02').readArrayLength('X.items'),
        protocolError('X.items: declared count 5 exceeds remaining 2 bytes', 0),
      );
    });

    it('accepts zero-size items up to an explicit maxCount', () => {
      assert.equal(reader('85').readArrayLength('X', 5), 5);
      assert.throws(
        () => reader('86').readArrayLength('X', 5),
        protocolError('X: declared count 6 exceeds the limit of 5'),
      );
    });
  });

  it('reads Choice indexes and rejects out-of-range ones', () => {
    assert.equal(reader('82').readChoice(3), 2);
    assert.throws(
      () => reader('83').readChoice(3, 'HatEventer.QueryParams'),
      protocolError('HatEventer.QueryParams: Choice index 3 out of range [0, 3)', 0),
    );
    assert.throws(() => reader('ff').readChoice(3), protocolError(/index -1/));
    assert.throws(() => reader('').readChoice(3), protocolError(/truncated/));
  });

  it('reports trailing bytes', () => {
    const r = reader('81 82 83');
    r.readInteger();
    assert.throws(() => r.expectEnd('X'), protocolError('X: 2 trailing bytes', 1));
  });

  it('reads only its window of a larger buffer', () => {
    const r = new SbsReader(hex('ff 81 82 ff'), 1, 3);
    assert.equal(r.readInteger(), 1);
    assert.equal(r.readInteger(), 2);
    r.expectEnd();
    assert.throws(() => r.readInteger(), protocolError(/truncated/));
  });
});

describe('SBS round trips (property)', () => {
  it('round-trips every safe integer', () => {
    const w = new SbsWriter();
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (n) => {
        w.writeInteger(n);
        const r = new SbsReader(w.finish());
        assert.equal(r.readInteger(), n);
        r.expectEnd();
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips bigints of any size', () => {
    const w = new SbsWriter();
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 400n), max: 2n ** 400n }), (n) => {
        w.writeBigInteger(n);
        const bytes = w.finish();
        const r = new SbsReader(bytes);
        assert.equal(r.readBigInteger(), n);
        r.expectEnd();
        const saturated = new SbsReader(bytes).readIntegerSaturating();
        if (n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n) assert.equal(saturated, Number(n));
        else assert.equal(saturated, n < 0n ? -Infinity : Infinity);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips strings, bytes, booleans and floats', () => {
    const w = new SbsWriter();
    const value = fc.tuple(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.boolean(),
      fc.double(),
    );
    fc.assert(
      fc.property(value, ([s, b, flag, x]) => {
        w.writeString(s);
        w.writeBytes(b);
        w.writeBoolean(flag);
        w.writeFloat(x);
        const r = new SbsReader(w.finish());
        assert.equal(r.readString(), s);
        assert.deepEqual(r.readBytes(), b);
        assert.equal(r.readBoolean(), flag);
        assert.equal(Object.is(r.readFloat(), x), true);
        r.expectEnd();
      }),
      { numRuns: 1000 },
    );
  });
});
