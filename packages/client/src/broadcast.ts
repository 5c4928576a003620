import { ClosedError, deferred } from '@eventum/core';
import type { Deferred } from '@eventum/core';

/** What a {@link Broadcast} does when a consumer has `limit` values queued and one more comes. */
export type OverflowPolicy =
  /** End that consumer's iterator with the error from `overflowError()`. */
  | 'error'
  /** Drop that consumer's oldest value (for state, where only the latest matters). */
  | 'drop-oldest';

/**
 * Delivers every published value to every consumer, each through its own bounded queue, so a slow
 * consumer never holds memory beyond `limit` values nor slows the others. A consumer is
 * registered when `subscribe()` is called (values published before are not replayed), and leaves
 * when its iterator returns (e.g. `break` out of `for await`). `close()` ends every iterator once
 * its queue is drained.
 */
export class Broadcast<T> {
  readonly #consumers = new Set<Consumer<T>>();
  readonly #limit: number;
  readonly #policy: OverflowPolicy;
  readonly #overflowError: () => Error;
  #closed = false;

  constructor(
    limit: number,
    policy: OverflowPolicy,
    overflowError: () => Error = () => new ClosedError('consumer fell behind'),
  ) {
    this.#limit = limit;
    this.#policy = policy;
    this.#overflowError = overflowError;
  }

  /** Number of active consumers. */
  get size(): number {
    return this.#consumers.size;
  }

  publish(value: T): void {
    for (const consumer of this.#consumers) {
      if (consumer.queued < this.#limit) consumer.push(value);
      else if (this.#policy === 'drop-oldest') consumer.replaceOldest(value);
      else consumer.fail(this.#overflowError());
    }
  }

  subscribe(): AsyncIterableIterator<T> {
    const consumer = new Consumer<T>(() => this.#consumers.delete(consumer));
    if (this.#closed) consumer.end();
    else this.#consumers.add(consumer);
    return consumer;
  }

  close(): void {
    this.#closed = true;
    for (const consumer of this.#consumers) consumer.end();
  }
}

class Consumer<T> implements AsyncIterableIterator<T> {
  readonly #leave: () => void;
  #queue: T[] = [];
  readonly #waiters: Deferred<IteratorResult<T>>[] = [];
  #ended = false;
  #error: Error | null = null;

  constructor(leave: () => void) {
    this.#leave = leave;
  }

  get queued(): number {
    return this.#queue.length;
  }

  push(value: T): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#queue.push(value);
    else waiter.resolve({ value, done: false });
  }

  replaceOldest(value: T): void {
    this.#queue.shift();
    this.#queue.push(value);
  }

  /** Ends the iterator with `error` at once (queued values are dropped: they are stale). */
  fail(error: Error): void {
    this.#queue = [];
    this.#error = error;
    this.#finish();
  }

  /** Ends the iterator after the queued values. */
  end(): void {
    this.#ended = true;
    this.#finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) {
      return Promise.resolve({ value: this.#queue.shift() as T, done: false });
    }
    if (this.#error !== null) {
      const error = this.#error;
      this.#error = null;
      this.#ended = true;
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    const waiter = deferred<IteratorResult<T>>();
    this.#waiters.push(waiter);
    return waiter.promise;
  }

  return(): Promise<IteratorResult<T>> {
    this.#queue = [];
    this.#error = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #finish(): void {
    this.#leave();
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) return;
    const error = this.#error;
    this.#error = null;
    this.#ended = true;
    for (const waiter of waiters) {
      if (error === null) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(error);
    }
  }
}
