import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, isEventumError } from '../errors.js';
import {
  MAX_TIMESTAMP,
  MIN_TIMESTAMP,
  compareTimestamps,
  timestampAdd,
  timestampFromBytes,
  timestampFromFloat,
  timestampToBytes,
  timestampToFloat,
  writeTimestampBytes,
} from './timestamp.js';
import type { Timestamp } from './timestamp.js';
import { hex, toHex } from '../testing/hex.js';

const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
const isInvalidArgument = (e: unknown): boolean => isEventumError(e, ErrorCode.InvalidArgument);
const isProtocolError = (e: unknown): boolean => isEventumError(e, ErrorCode.Protocol);

const arbitraryTimestamp: fc.Arbitrary<Timestamp> = fc
  .record({
    s: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer(), fc.maxSafeInteger()),
    us: fc.oneof(fc.constantFrom(0, 1, 999_999), fc.integer({ min: 0, max: 999_999 })),
  })
  .map(({ s, us }) => ({ s, us })); // plain objects, not null-prototype records

/** Python's `math.isclose(a, b, abs_tol=1e-9)` (the default `rel_tol` is also 1e-9). */
const isClose = (a: number, b: number): boolean =>
  Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-9);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

describe('timestamp 12-byte encoding', () => {
  const vectors: [Timestamp, string][] = [
    [{ s: 0, us: 0 }, '80 00 00 00 00 00 00 00 00 00 00 00'],
    [{ s: 2_145_916_800, us: 99_999 }, '80 00 00 00 7f e8 17 80 00 01 86 9f'],
    [{ s: 12_321, us: 99_999 }, '80 00 00 00 00 00 30 21 00 01 86 9f'],
    [{ s: -1, us: 0 }, '7f ff ff ff ff ff ff ff 00 00 00 00'],
    [{ s: -(2 ** 32), us: 1 }, '7f ff ff ff 00 00 00 00 00 00 00 01'],
    [MAX_TIMESTAMP, '80 1f ff ff ff ff ff ff 00 0f 42 3f'],
    [MIN_TIMESTAMP, '7f e0 00 00 00 00 00 01 00 00 00 00'],
  ];

  it('reproduces Hat vectors and decodes them back', () => {
    for (const [t, bytes] of vectors) {
      assert.equal(toHex(timestampToBytes(t)), bytes);
      assert.deepEqual(timestampFromBytes(hex(bytes)), t);
    }
  });

  it("clamps Hat's wider bounds and other unsafe seconds to MIN/MAX", () => {
    const cases: [string, Timestamp][] = [
      ['00 00 00 00 00 00 00 00 00 00 00 00', MIN_TIMESTAMP],
      ['ff ff ff ff ff ff ff ff 00 0f 42 3f', MAX_TIMESTAMP],
      ['80 20 00 00 00 00 00 00 00 00 00 00', MAX_TIMESTAMP],
      ['7f e0 00 00 00 00 00 00 00 00 00 05', MIN_TIMESTAMP],
      ['7f df ff ff ff ff ff ff 00 00 00 00', MIN_TIMESTAMP],
    ];
    for (const [bytes, t] of cases) assert.equal(timestampFromBytes(hex(bytes)), t);
  });

  it('writes and reads at an offset', () => {
    const target = new Uint8Array(20).fill(0xaa);
    assert.equal(writeTimestampBytes(target, 4, { s: 12_321, us: 99_999 }), 16);
    assert.equal(toHex(target.subarray(0, 4)), 'aa aa aa aa');
    assert.equal(toHex(target.subarray(16)), 'aa aa aa aa');
    assert.deepEqual(timestampFromBytes(target, 4), { s: 12_321, us: 99_999 });
  });

  it('rejects writes that do not fit', () => {
    const t = { s: 0, us: 0 };
    assert.throws(() => writeTimestampBytes(new Uint8Array(12), 1, t), isInvalidArgument);
    assert.throws(() => writeTimestampBytes(new Uint8Array(12), -1, t), isInvalidArgument);
  });

  it('rejects truncated input and out-of-range microseconds', () => {
    assert.throws(() => timestampFromBytes(new Uint8Array(11)), isProtocolError);
    assert.throws(() => timestampFromBytes(new Uint8Array(12), 1), isProtocolError);
    const badUs = hex('80 00 00 00 00 00 00 00 00 0f 42 40');
    assert.throws(() => timestampFromBytes(badUs), isProtocolError);
  });

  it('round-trips every valid timestamp', () => {
    fc.assert(
      fc.property(arbitraryTimestamp, (t) => {
        assert.deepEqual(timestampFromBytes(timestampToBytes(t)), t);
      }),
    );
  });

  it('sorts bytewise in chronological order', () => {
    fc.assert(
      fc.property(arbitraryTimestamp, arbitraryTimestamp, (a, b) => {
        const byBytes = compareBytes(timestampToBytes(a), timestampToBytes(b));
        assert.equal(sign(byBytes), sign(compareTimestamps(a, b)));
      }),
    );
  });
});

describe('timestamp float conversion', () => {
  // Hat's vectors, written with the same float arithmetic as its tests.
  const vectors: [Timestamp, number][] = [
    [{ s: 0, us: 0 }, 0.0],
    [{ s: 1, us: 0 }, 1.0],
    [{ s: 1_000, us: 10_000 }, 1_000.01],
    [{ s: -473_385_600, us: 123 }, -473_385_600 + 123 * 1e-6],
    [{ s: 473_385_600, us: 123 }, 473_385_600 + 123 * 1e-6],
    [{ s: 4_099_680_000, us: 123 }, 4_099_680_000 + 123 * 1e-6],
    [{ s: 409_968, us: 999_999 }, 409_968 + 999_999 * 1e-6],
    [{ s: 409_968, us: 999_999 }, 409_968 + 9_999_994 * 1e-7],
    [{ s: 409_969, us: 0 }, 409_968 + 9_999_996 * 1e-7],
    [{ s: 409_969, us: 0 }, 409_968 + 9_999_999 * 1e-7],
    [{ s: -409_969, us: 1 }, -409_968 - 9_999_994 * 1e-7],
    [{ s: -409_969, us: 0 }, -409_968 - 9_999_996 * 1e-7],
    [{ s: -409_968, us: 0 }, -409_968 - 4 * 1e-7],
    [{ s: -409_969, us: 999_999 }, -409_968 - 6 * 1e-7],
  ];

  it('reproduces Hat vectors, including the ±0.9999996 carry', () => {
    for (const [t, float] of vectors) {
      assert.ok(isClose(timestampToFloat(t), float), `${float}`);
      assert.deepEqual(timestampFromFloat(float), t, `${float}`);
    }
  });

  it('rounds half-way microseconds to even, like Python', () => {
    assert.deepEqual(timestampFromFloat(0.5), { s: 0, us: 500_000 });
    assert.deepEqual(timestampFromFloat(-0.5), { s: -1, us: 500_000 });
    // Python: round(0.5) == 0, round(1.5) == 2, round(2.5) == 2, round(10.5) == 10.
    assert.deepEqual(timestampFromFloat(5e-7), { s: 0, us: 0 });
    assert.deepEqual(timestampFromFloat(1.5e-6), { s: 0, us: 2 });
    assert.deepEqual(timestampFromFloat(2.5e-6), { s: 0, us: 2 });
    assert.deepEqual(timestampFromFloat(10.5e-6), { s: 0, us: 10 });
    assert.deepEqual(timestampAdd({ s: 0, us: 0 }, 2.5e-6), { s: 0, us: 2 });
  });

  it('gives 0 (not -0) seconds for -0 and whole negative seconds', () => {
    assert.ok(Object.is(timestampFromFloat(-0).s, 0));
    assert.deepEqual(timestampFromFloat(-10), { s: -10, us: 0 });
  });

  it('rejects non-finite and unsafe input', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, 2 ** 60]) {
      assert.throws(() => timestampFromFloat(bad), isInvalidArgument);
    }
  });

  it('round-trips while |s| < 2^33', () => {
    const arbitrary = fc
      .record({
        s: fc.integer({ min: -(2 ** 33) + 1, max: 2 ** 33 - 1 }),
        us: fc.integer({ min: 0, max: 999_999 }),
      })
      .map(({ s, us }) => ({ s, us }));
    fc.assert(
      fc.property(arbitrary, (t) => {
        assert.deepEqual(timestampFromFloat(timestampToFloat(t)), t);
      }),
    );
  });
});
