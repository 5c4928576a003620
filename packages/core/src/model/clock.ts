import { invalidArgument } from '../errors.js';
import { MAX_TIMESTAMP } from './timestamp.js';
import type { Timestamp } from './timestamp.js';

/** Microseconds per second. */
const US_PER_S = 1_000_000;

/**
 * How far (ms) the anchored clock may drift from the wall clock before it re-anchors. Large
 * enough that `Date.now()`'s whole milliseconds and ordinary drift of the monotonic clock do not
 * cause steps; small enough that timestamps stay close to what the system clock says.
 */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 10;

/** The two clocks a {@link createTimestampClock} combines; tests inject their own. */
export interface ClockSources {
  /** Wall-clock milliseconds since the epoch (default `Date.now`; whole ms, may step). */
  readonly wallMs: () => number;
  /** Monotonic milliseconds with a fraction (default `performance.now`; never steps). */
  readonly monotonicMs: () => number;
}

/** Options of {@link createTimestampClock}. */
export interface TimestampClockOptions {
  readonly sources?: ClockSources;
  /** Default {@link DEFAULT_MAX_CLOCK_SKEW_MS}; must be > 0. */
  readonly maxSkewMs?: number;
}

const defaultSources: ClockSources = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/**
 * A wall-anchored monotonic clock with microsecond resolution. It reads the wall clock once as
 * an anchor and from then on advances with the monotonic clock, so consecutive readings differ
 * by microseconds, not by the wall clock's whole milliseconds.
 *
 * Re-anchoring: every reading also reads the wall clock; when the two disagree by more than
 * `maxSkewMs` (the wall clock was stepped, or the clocks drifted apart), the clock re-anchors to
 * the wall clock, so its readings never stray further than that from the system's time. A step
 * backwards of the wall clock therefore makes the readings go back too: callers that need order
 * (the engine's session timestamps) keep it themselves, e.g. with {@link timestampAfter}.
 */
export function createTimestampClock(options: TimestampClockOptions = {}): () => Timestamp {
  const { wallMs, monotonicMs } = options.sources ?? defaultSources;
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!(maxSkewMs > 0)) throw invalidArgument(`maxSkewMs must be > 0, got ${maxSkewMs}`);
  let anchorWall = wallMs();
  let anchorMonotonic = monotonicMs();
  return () => {
    const monotonic = monotonicMs();
    const wall = wallMs();
    let elapsedMs = monotonic - anchorMonotonic;
    if (Math.abs(anchorWall + elapsedMs - wall) > maxSkewMs) {
      anchorWall = wall;
      anchorMonotonic = monotonic;
      elapsedMs = 0;
    }
    return fromMicroseconds(Math.round(anchorWall * 1000) + Math.round(elapsedMs * 1000));
  };
}

/** Integer microseconds since the epoch (exact while below 2^53, i.e. until year 2255). */
function fromMicroseconds(us: number): Timestamp {
  const s = Math.floor(us / US_PER_S);
  return { s, us: us - s * US_PER_S };
}

const defaultClock = createTimestampClock();

/**
 * The current time with microsecond resolution, from one process-wide
 * {@link createTimestampClock}: within {@link DEFAULT_MAX_CLOCK_SKEW_MS} of `Date.now()`, and
 * monotonic except when it re-anchors after the wall clock stepped back (or drifted by more than
 * that). The engine keeps session timestamps strictly increasing on top of it.
 */
export function timestampNow(): Timestamp {
  return defaultClock();
}

/** The timestamp one microsecond after `t` ({@link MAX_TIMESTAMP} stays itself). */
export function timestampAfter(t: Timestamp): Timestamp {
  if (t.s === MAX_TIMESTAMP.s && t.us === MAX_TIMESTAMP.us) return MAX_TIMESTAMP;
  return t.us + 1 === US_PER_S ? { s: t.s + 1, us: 0 } : { s: t.s, us: t.us + 1 };
}
