import { ClosedError, deferred, invalidArgument } from '@eventum/core';
import type { Deferred } from '@eventum/core';

interface Putter<T> {
  readonly item: T;
  readonly done: Deferred<void>;
}

/**
 * A bounded FIFO queue with one consumer. `put` waits while the queue is full; waiting producers
 * are admitted strictly in call order. `close()` hands back the queued items so the owner can fail
 * them; waiting and later `put`s throw `ERR_CLOSED`, and `take` returns `undefined`.
 */
export class RegisterQueue<T> {
  readonly #size: number;
  readonly #items: T[] = [];
  readonly #putters: Putter<T>[] = [];
  #taker: Deferred<void> | undefined;
  #closed = false;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw invalidArgument(`registerQueueSize must be a positive integer, got ${size}`);
    }
    this.#size = size;
  }

  get length(): number {
    return this.#items.length + this.#putters.length;
  }

  /** Resolves once `item` is queued. Throws `ERR_CLOSED` if the queue closes first. */
  async put(item: T): Promise<void> {
    if (this.#closed) throw new ClosedError('engine is closed');
    if (this.tryPut(item)) return;
    const done = deferred<void>();
    this.#putters.push({ item, done });
    await done.promise;
  }

  /** Queues `item` if it fits now, behind no waiting `put`; false otherwise (or once closed). */
  tryPut(item: T): boolean {
    if (this.#closed || this.#items.length >= this.#size || this.#putters.length > 0) return false;
    this.#items.push(item);
    this.#wakeTaker();
    return true;
  }

  /** The next item if one is queued (no promise: the engine's loop takes most items so). */
  tryTake(): T | undefined {
    if (this.#items.length === 0) return undefined;
    const item = this.#items.shift();
    this.#admitPutter();
    return item;
  }

  /** The next item, waiting for one; `undefined` once closed and empty. */
  async take(): Promise<T | undefined> {
    while (this.#items.length === 0) {
      if (this.#closed) return undefined;
      this.#taker = deferred<void>();
      await this.#taker.promise;
    }
    const item = this.#items.shift();
    this.#admitPutter();
    return item;
  }

  /** Closes the queue and returns the queued items not yet taken; waiting `put`s reject with
   * `ERR_CLOSED` instead (their items are not returned). */
  close(): T[] {
    this.#closed = true;
    const rest = this.#items.splice(0);
    for (const putter of this.#putters.splice(0)) {
      putter.done.reject(new ClosedError('engine is closed'));
    }
    this.#wakeTaker();
    return rest;
  }

  #admitPutter(): void {
    const putter = this.#putters.shift();
    if (putter === undefined) return;
    this.#items.push(putter.item);
    putter.done.resolve();
  }

  #wakeTaker(): void {
    const taker = this.#taker;
    this.#taker = undefined;
    taker?.resolve();
  }
}
