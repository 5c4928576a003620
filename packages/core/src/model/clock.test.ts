import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ErrorCode, isEventumError } from '../errors.js';
import {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  createTimestampClock,
  timestampAfter,
  timestampNow,
} from './clock.js';
import { MAX_TIMESTAMP, compareTimestamps, timestampToDate } from './timestamp.js';
import type { Timestamp } from './timestamp.js';

const EPOCH_MS = 1_700_000_000_000;

/** Hand-driven clocks: the wall clock in whole milliseconds, the monotonic one with fractions. */
function manualSources() {
  const state = { wall: EPOCH_MS, monotonic: 5_000.25 };
  const sources = { wallMs: () => state.wall, monotonicMs: () => state.monotonic };
  return { state, sources };
}

const micros = (t: Timestamp): number => (t.s - EPOCH_MS / 1000) * 1_000_000 + t.us;

describe('createTimestampClock', () => {
  it('gives consecutive readings microseconds apart while the wall clock shows one millisecond', () => {
    const { state, sources } = manualSources();
    const clock = createTimestampClock({ sources });
    const readings: Timestamp[] = [];
    for (let i = 0; i < 50; i++) {
      state.monotonic += 0.003; // 3 µs
      readings.push(clock());
    }
    for (let i = 1; i < readings.length; i++) {
      assert.ok(compareTimestamps(readings[i - 1]!, readings[i]!) < 0, `reading ${i} increases`);
    }
    assert.ok(
      readings.some((t) => t.us % 1000 !== 0),
      'microseconds, not milliseconds',
    );
    assert.equal(micros(readings[0]!), 3);
  });

  it('keeps microseconds while the clocks drift apart within the allowed skew', () => {
    // The old clock fell back to Date.now()'s whole milliseconds once the two differed by 1 ms.
    const { state, sources } = manualSources();
    const clock = createTimestampClock({ sources });
    state.monotonic += 1000.0421;
    state.wall += 1000 - (DEFAULT_MAX_CLOCK_SKEW_MS - 1);
    assert.equal(micros(clock()), 1_000_042);
  });

  it('re-anchors to the wall clock when it is stepped forward or back', () => {
    const { state, sources } = manualSources();
    const clock = createTimestampClock({ sources });
    state.wall += 3_600_000;
    state.monotonic += 0.5;
    assert.equal(micros(clock()), 3_600_000_000);
    state.monotonic += 0.012;
    assert.equal(micros(clock()), 3_600_000_012, 'advances from the new anchor');
    state.wall -= 7_200_000;
    assert.equal(micros(clock()), -3_600_000_000, 'follows a step back');
  });

  it('re-anchors once drift exceeds maxSkewMs, so readings stay within it of the wall clock', () => {
    const { state, sources } = manualSources();
    const clock = createTimestampClock({ sources, maxSkewMs: 2 });
    state.monotonic += 1000;
    state.wall += 1002; // 2 ms apart: still anchored
    assert.equal(micros(clock()), 1_000_000);
    state.monotonic += 1000;
    state.wall += 1003; // 5 ms apart: re-anchored
    assert.equal(micros(clock()), 2_005_000);
  });

  it('rejects a non-positive skew', () => {
    assert.throws(
      () => createTimestampClock({ maxSkewMs: 0 }),
      (e: unknown) => isEventumError(e, ErrorCode.InvalidArgument),
    );
  });
});

describe('timestampNow', () => {
  it('tells the current time, within the clock skew of Date.now()', () => {
    const before = Date.now();
    const now = timestampToDate(timestampNow()).getTime();
    const after = Date.now();
    assert.ok(now >= before - DEFAULT_MAX_CLOCK_SKEW_MS - 1, `${now} vs ${before}`);
    assert.ok(now <= after + DEFAULT_MAX_CLOCK_SKEW_MS + 1, `${now} vs ${after}`);
  });
});

describe('timestampAfter', () => {
  it('adds one microsecond, carrying into seconds, and stops at the maximum', () => {
    assert.deepEqual(timestampAfter({ s: 5, us: 7 }), { s: 5, us: 8 });
    assert.deepEqual(timestampAfter({ s: -1, us: 999_999 }), { s: 0, us: 0 });
    assert.deepEqual(timestampAfter(MAX_TIMESTAMP), MAX_TIMESTAMP);
  });
});
