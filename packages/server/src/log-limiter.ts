import { invalidArgument } from '@eventum/core';
import type { Logger } from '@eventum/core';

/** Lines of one kind logged per interval before the rest are counted instead. */
export const DEFAULT_LOG_BURST = 5;
/** Length of a rate-limiting interval, and the period of the "suppressed" summaries. */
export const DEFAULT_LOG_INTERVAL_MS = 60_000;

export type LimitedLevel = 'info' | 'warn' | 'error';

/** Options of a {@link LogLimiter}. */
export interface LogLimiterOptions {
  /** Default {@link DEFAULT_LOG_BURST}. */
  readonly burst?: number;
  /** Default {@link DEFAULT_LOG_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Milliseconds of a monotonic clock (default `performance.now`); tests inject one. */
  readonly now?: () => number;
}

interface Window {
  start: number;
  logged: number;
  suppressed: number;
  level: LimitedLevel;
  message: string;
}

/**
 * Rate-limits log lines that peers can cause (a flood of bad connections must not become a flood
 * of log lines). Lines are grouped by a `kind` the caller names (e.g. the error code of a close
 * reason): the first `burst` lines of a kind in an interval are logged as they come; the rest
 * are only counted, and a summary line "`<message>`: N more suppressed" (fields `kind`,
 * `suppressed`) is logged when the interval ends, when a later line of that kind starts a new
 * interval, or on {@link close}. Kinds never suppress each other. The summary timer does not keep
 * the process alive.
 */
export class LogLimiter {
  readonly #logger: Logger;
  readonly #burst: number;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Throws `ERR_INVALID_ARGUMENT` for a burst < 1 or an interval ≤ 0. */
  constructor(logger: Logger, options: LogLimiterOptions = {}) {
    this.#logger = logger;
    this.#burst = options.burst ?? DEFAULT_LOG_BURST;
    this.#intervalMs = options.intervalMs ?? DEFAULT_LOG_INTERVAL_MS;
    this.#now = options.now ?? (() => performance.now());
    if (!Number.isSafeInteger(this.#burst) || this.#burst < 1) {
      throw invalidArgument(`log burst must be an integer >= 1, got ${this.#burst}`);
    }
    if (!(this.#intervalMs > 0)) {
      throw invalidArgument(`log interval must be > 0 ms, got ${this.#intervalMs}`);
    }
  }

  /** Logs `message` on `logger` (which may be a child carrying more fields) unless `kind` is over
   * its burst in the current interval. */
  log(
    logger: Logger,
    level: LimitedLevel,
    kind: string,
    message: string,
    fields?: Record<string, unknown>,
  ): void {
    const now = this.#now();
    let window = this.#windows.get(kind);
    if (window !== undefined && now - window.start >= this.#intervalMs) {
      this.#summarise(kind, window);
      window = undefined;
    }
    if (window === undefined) {
      window = { start: now, logged: 0, suppressed: 0, level, message };
      this.#windows.set(kind, window);
    }
    if (window.logged < this.#burst) {
      window.logged += 1;
      logger[level](message, fields);
      return;
    }
    window.suppressed += 1;
    this.#timer ??= this.#schedule();
  }

  /** Logs the summary of every kind with suppressed lines and starts fresh intervals. */
  flush(): void {
    for (const [kind, window] of this.#windows) this.#summarise(kind, window);
    this.#windows.clear();
  }

  /** Flushes and stops the summary timer; later lines are still limited (and flushed by hand). */
  close(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.flush();
  }

  #summarise(kind: string, window: Window): void {
    this.#windows.delete(kind);
    if (window.suppressed === 0) return;
    this.#logger[window.level](`${window.message}: ${window.suppressed} more suppressed`, {
      kind,
      suppressed: window.suppressed,
      intervalMs: this.#intervalMs,
    });
  }

  #schedule(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, this.#intervalMs);
    timer.unref?.();
    return timer;
  }
}
