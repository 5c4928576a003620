import { ErrorCode, EventumError } from '@eventum/core';

/**
 * Chatter keep-alive (hat-event.md §2.1): when nothing was received for `delayMs`, `ping()` is
 * called; if then nothing arrives within `timeoutMs`, `timedOut()` is called. Anything received
 * restarts the delay. One timer at a time; while no ping is outstanding `received()` only
 * records a time, so a busy connection pays one `Date.now()` per message, not a timer reset.
 */
export class KeepAlive {
  readonly #delayMs: number;
  readonly #timeoutMs: number;
  readonly #ping: () => void;
  readonly #timedOut: () => void;
  #lastReceivedAt = 0;
  #pingSentAt: number | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(delayMs: number, timeoutMs: number, ping: () => void, timedOut: () => void) {
    this.#delayMs = delayMs;
    this.#timeoutMs = timeoutMs;
    this.#ping = ping;
    this.#timedOut = timedOut;
  }

  /** Starts (or restarts) the delay from now. */
  start(): void {
    this.stop();
    this.#lastReceivedAt = Date.now();
    this.#arm(this.#delayMs);
  }

  /** Records that a message arrived; an answered ping restarts the delay from now. */
  received(): void {
    this.#lastReceivedAt = Date.now();
    if (this.#pingSentAt !== null && this.#timer !== null) {
      this.#pingSentAt = null;
      clearTimeout(this.#timer);
      this.#arm(this.#delayMs);
    }
  }

  /** Cancels the timer and any outstanding ping; no callback runs until `start()`. */
  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pingSentAt = null;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), Math.max(0, ms));
    // The socket keeps the process alive while the connection is open; the timer need not.
    this.#timer.unref();
  }

  #check(): void {
    this.#timer = null;
    const now = Date.now();
    if (this.#pingSentAt !== null) {
      const waited = now - this.#pingSentAt;
      if (waited >= this.#timeoutMs) this.#timedOut();
      else this.#arm(this.#timeoutMs - waited);
      return;
    }
    const idle = now - this.#lastReceivedAt;
    if (idle < this.#delayMs) {
      this.#arm(this.#delayMs - idle);
      return;
    }
    this.#pingSentAt = now;
    this.#arm(this.#timeoutMs);
    this.#ping();
  }
}

/** The reason a connection closes on keep-alive timeout: `ERR_TIMEOUT`. */
export function pingTimeoutError(timeoutMs: number): EventumError {
  return new EventumError(
    ErrorCode.Timeout,
    `chatter keep-alive: nothing received within ${timeoutMs} ms after a ping`,
  );
}
