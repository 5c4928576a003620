import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, isEventumError } from '../errors.js';
import {
  MAX_TIMESTAMP,
  MIN_TIMESTAMP,
  compareTimestamps,
  isTimestamp,
  timestampAdd,
  timestampEquals,
  timestampFromDate,
  timestampMax,
  timestampMin,
  timestampToDate,
} from './timestamp.js';
import type { Timestamp } from './timestamp.js';

const micros = (t: Timestamp): bigint => BigInt(t.s) * 1_000_000n + BigInt(t.us);
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
const isInvalidArgument = (e: unknown): boolean => isEventumError(e, ErrorCode.InvalidArgument);

const arbitraryTimestamp: fc.Arbitrary<Timestamp> = fc
  .record({
    s: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer(), fc.maxSafeInteger()),
    us: fc.oneof(fc.constantFrom(0, 1, 999_999), fc.integer({ min: 0, max: 999_999 })),
  })
  .map(({ s, us }) => ({ s, us })); // plain objects, not null-prototype records

describe('timestamp ordering', () => {
  const samples: Timestamp[] = [
    { s: 0, us: 0 },
    { s: 0, us: 1 },
    { s: 1, us: 0 },
    { s: 1, us: 1 },
    { s: -1, us: 0 },
    { s: -1, us: 1 },
    { s: -1, us: 999_999 },
  ];

  it('orders every pair of Hat samples like total microseconds', () => {
    for (const a of samples) {
      for (const b of samples) {
        const expected = micros(a) < micros(b) ? -1 : micros(a) > micros(b) ? 1 : 0;
        assert.equal(sign(compareTimestamps(a, b)), expected);
        assert.equal(timestampEquals(a, b), expected === 0);
      }
    }
  });

  it('orders random timestamps like total microseconds', () => {
    fc.assert(
      fc.property(arbitraryTimestamp, arbitraryTimestamp, (a, b) => {
        const expected = micros(a) < micros(b) ? -1 : micros(a) > micros(b) ? 1 : 0;
        assert.equal(sign(compareTimestamps(a, b)), expected);
      }),
    );
  });

  it('picks the earliest and latest, the first of equal ones', () => {
    const a = { s: 1, us: 5 };
    const b = { s: -1, us: 999_999 };
    const c = { s: 1, us: 5 };
    assert.equal(timestampMin(a, b, c), b);
    assert.equal(timestampMax(a, b, c), a);
    assert.equal(timestampMin(a), a);
  });

  it('has bounds at the safe-integer range', () => {
    assert.deepEqual(MIN_TIMESTAMP, { s: Number.MIN_SAFE_INTEGER, us: 0 });
    assert.deepEqual(MAX_TIMESTAMP, {
      s: Number.MAX_SAFE_INTEGER,
      us: 999_999,
    });
    assert.ok(Object.isFrozen(MIN_TIMESTAMP) && Object.isFrozen(MAX_TIMESTAMP));
  });
});

describe('isTimestamp', () => {
  it('accepts integer seconds and microseconds in range', () => {
    assert.ok(isTimestamp({ s: 0, us: 0 }));
    assert.ok(isTimestamp({ s: -5, us: 999_999 }));
    assert.ok(isTimestamp(MIN_TIMESTAMP) && isTimestamp(MAX_TIMESTAMP));
  });

  it('rejects everything else', () => {
    const bad: unknown[] = [
      null,
      undefined,
      0,
      'x',
      {},
      { s: 0 },
      { us: 0 },
      { s: 0.5, us: 0 },
      { s: 2 ** 53, us: 0 },
      { s: 0, us: -1 },
      { s: 0, us: 1_000_000 },
      { s: 0, us: 0.5 },
      { s: '0', us: 0 },
      { s: 0, us: Number.NaN },
    ];
    for (const value of bad) assert.equal(isTimestamp(value), false, JSON.stringify(value));
  });
});

describe('timestamp Date conversion', () => {
  const points: [Timestamp, string][] = [
    [{ s: -2_208_988_800, us: 999_000 }, '1900-01-01T00:00:00.999Z'],
    [{ s: 0, us: 0 }, '1970-01-01T00:00:00.000Z'],
    [{ s: 2_145_916_800, us: 99_000 }, '2038-01-01T00:00:00.099Z'],
    [{ s: 4_133_980_799, us: 1_000 }, '2100-12-31T23:59:59.001Z'],
    [{ s: -1, us: 999_000 }, '1969-12-31T23:59:59.999Z'],
  ];

  it('converts Hat sample points from 1900 to 2100 both ways', () => {
    for (const [t, iso] of points) {
      assert.equal(timestampToDate(t).toISOString(), iso);
      assert.deepEqual(timestampFromDate(new Date(iso)), t);
    }
  });

  it("floors negative whole seconds (fixes Hat's off-by-one)", () => {
    assert.deepEqual(timestampFromDate(new Date('1969-12-31T23:59:50Z')), {
      s: -10,
      us: 0,
    });
  });

  it('truncates microseconds to Date milliseconds', () => {
    assert.equal(timestampToDate({ s: 0, us: 123 }).getTime(), 0);
    assert.equal(timestampToDate({ s: -1, us: 999_999 }).getTime(), -1);
  });

  it('round-trips every millisecond from 1900 to 2100', () => {
    const min = Date.UTC(1900, 0, 1);
    const max = Date.UTC(2100, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        const t = timestampFromDate(new Date(ms));
        assert.ok(isTimestamp(t));
        assert.equal(timestampToDate(t).getTime(), ms);
      }),
    );
  });

  it('rejects invalid Dates and timestamps outside the Date range', () => {
    assert.throws(() => timestampFromDate(new Date(Number.NaN)), isInvalidArgument);
    assert.throws(() => timestampToDate(MAX_TIMESTAMP), isInvalidArgument);
  });
});

describe('timestampAdd', () => {
  const vectors: [number, Timestamp][] = [
    [0, { s: 0, us: 0 }],
    [0.001, { s: 0, us: 1000 }],
    [-0.001, { s: -1, us: 999_000 }],
    [1, { s: 1, us: 0 }],
    [1.001, { s: 1, us: 1000 }],
    [-1.001, { s: -2, us: 999_000 }],
  ];

  it('reproduces Hat vectors and their inverses', () => {
    const zero = { s: 0, us: 0 };
    for (const [seconds, t] of vectors) {
      assert.deepEqual(timestampAdd(zero, seconds), t, `+${seconds}`);
      assert.deepEqual(timestampAdd(t, -seconds), zero, `-${seconds}`);
    }
  });

  it('carries microseconds into seconds', () => {
    assert.deepEqual(timestampAdd({ s: 5, us: 999_999 }, 0.000001), {
      s: 6,
      us: 0,
    });
    assert.deepEqual(timestampAdd({ s: 5, us: 0 }, -0.000001), {
      s: 4,
      us: 999_999,
    });
  });

  it('adds whole seconds exactly', () => {
    fc.assert(
      fc.property(
        arbitraryTimestamp.filter((t) => Math.abs(t.s) < 2 ** 52),
        fc.integer(),
        (t, seconds) => {
          assert.deepEqual(timestampAdd(t, seconds), {
            s: t.s + seconds,
            us: t.us,
          });
        },
      ),
    );
  });

  it('rejects non-finite seconds and unsafe results', () => {
    assert.throws(() => timestampAdd({ s: 0, us: 0 }, Number.NaN), isInvalidArgument);
    assert.throws(() => timestampAdd(MAX_TIMESTAMP, 1), isInvalidArgument);
  });
});
