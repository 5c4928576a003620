import { deferred } from '@eventum/core';
import type { Deferred } from '@eventum/core';

/**
 * A FIFO of received items with waiting consumers. It does not bound itself: the producer checks
 * `length` and applies back-pressure (the chatter connection pauses its socket). After `close`,
 * queued items are still handed out; once empty, `shift` rejects with the close error.
 */
export class ReceiveQueue<T> {
  #items: T[] = [];
  #head = 0;
  readonly #waiters: Deferred<T>[] = [];
  #error: Error | null = null;

  /** Items queued and not yet taken. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Hands `item` to the oldest waiter, or queues it. Ignored after `close`. */
  push(item: T): void {
    if (this.#error !== null) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter.resolve(item);
    else this.#items.push(item);
  }

  /** The oldest item; waits for one when empty; rejects once closed and empty. */
  shift(): Promise<T> {
    const item = this.tryShift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.#error !== null) return Promise.reject(this.#error);
    const waiter = deferred<T>();
    this.#waiters.push(waiter);
    return waiter.promise;
  }

  /** The oldest item, or `undefined` when none is queued. */
  tryShift(): T | undefined {
    if (this.#head === this.#items.length) return undefined;
    const item = this.#items[this.#head] as T;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Stops accepting items and rejects every waiter with `error`; idempotent. */
  close(error: Error): void {
    if (this.#error !== null) return;
    this.#error = error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
