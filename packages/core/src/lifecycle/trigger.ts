/**
 * Wakes a background loop early: `wait` resolves after `ms`, on `fire()`, or when `signal`
 * aborts, whichever comes first. A `fire()` while nobody waits makes the next `wait` return at
 * once.
 */
export class Trigger {
  #pending = false;
  #wake: (() => void) | null = null;

  fire(): void {
    this.#pending = true;
    this.#wake?.();
  }

  /** Forgets a `fire()` nobody has waited for yet (its work is being done already). */
  reset(): void {
    this.#pending = false;
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#pending || signal.aborted) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = null;
        this.#pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.#wake = done;
    });
  }
}
