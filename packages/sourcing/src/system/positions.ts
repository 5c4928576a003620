import { ErrorCode, EventumError } from '@eventum/core';

interface Waiter {
  readonly position: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * A follower's position in each leader's log, and the callers waiting for a position (the
 * read-your-writes helper). Positions only grow.
 */
export class Positions {
  readonly #at = new Map<string, number>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #closed: Error | undefined;

  get(leader: string): number {
    return this.#at.get(leader) ?? 0;
  }

  set(leader: string, position: number): void {
    if (position <= this.get(leader)) return;
    this.#at.set(leader, position);
    for (const w of this.#waiters.get(leader) ?? []) {
      if (w.position <= position) this.#settle(leader, w, () => w.resolve());
    }
  }

  /** Resolves once `leader`'s position reaches `position`; `ERR_TIMEOUT` after `timeoutMs`,
   * `ERR_CLOSED` when the follower closes first. */
  waitFor(leader: string, position: number, timeoutMs: number, who: string): Promise<void> {
    if (this.get(leader) >= position) return Promise.resolve();
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise<void>((resolve, reject) => {
      const set = this.#waiters.get(leader) ?? new Set<Waiter>();
      this.#waiters.set(leader, set);
      const timer = setTimeout(() => {
        const message = `${who} did not reach ${leader}'s notification ${position} within ${timeoutMs} ms (at ${this.get(leader)})`;
        this.#settle(leader, waiter, () => reject(new EventumError(ErrorCode.Timeout, message)));
      }, timeoutMs);
      const waiter: Waiter = { position, resolve, reject, timer };
      set.add(waiter);
    });
  }

  /** Rejects every waiter with `error`. */
  close(error: Error): void {
    this.#closed = error;
    for (const [leader, set] of this.#waiters)
      for (const w of set) this.#settle(leader, w, () => w.reject(error));
  }

  #settle(leader: string, waiter: Waiter, how: () => void): void {
    clearTimeout(waiter.timer);
    this.#waiters.get(leader)?.delete(waiter);
    how();
  }
}
