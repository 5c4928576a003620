import { invalidArgument } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { noopLogger } from '../log/logger.js';
import type { BusSubscription } from './bus.js';
import { DEFAULT_BUS_BUFFER_SIZE } from './bus.js';
import type { BusEvent } from './envelope.js';

/** Options of {@link BufferedSubscription}. */
export interface BufferedSubscriptionOptions {
  readonly bufferSize?: number;
  readonly logger?: Logger;
  /** Runs once when the subscription closes (unregister from the transport). */
  readonly onClose?: () => void | Promise<void>;
  /** Called for every dropped event (the bus counts them). */
  readonly onDrop?: () => void;
  /** Resolves when the transport registered the subscription (default: at once). */
  readonly ready?: Promise<void>;
}

const done: IteratorResult<BusEvent> = { done: true, value: undefined };

/**
 * A subscription fed by a transport through {@link push}: a bounded FIFO with drop-oldest, one
 * pending reader at a time. The first drop logs a warning, later drops only count. Used by every
 * transport whose messages arrive by callback.
 */
export class BufferedSubscription implements BusSubscription, AsyncIterator<BusEvent> {
  readonly pattern: string;
  readonly ready: Promise<void>;
  readonly #capacity: number;
  readonly #options: BufferedSubscriptionOptions;
  #items: BusEvent[] = [];
  #head = 0;
  #reader: ((result: IteratorResult<BusEvent>) => void) | undefined;
  #closing: Promise<void> | undefined;
  #dropped = 0;

  constructor(pattern: string, options: BufferedSubscriptionOptions = {}) {
    const capacity = options.bufferSize ?? DEFAULT_BUS_BUFFER_SIZE;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw invalidArgument(`bufferSize must be a positive integer, got ${capacity}`);
    }
    this.pattern = pattern;
    this.#capacity = capacity;
    this.#options = options;
    this.ready = (options.ready ?? Promise.resolve()).catch(() => undefined);
  }

  get dropped(): number {
    return this.#dropped;
  }

  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  /** Number of buffered events not yet read. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Hands `event` to the reader, or buffers it (dropping the oldest when full). Never blocks. */
  push(event: BusEvent): void {
    if (this.#closing !== undefined) return;
    const reader = this.#reader;
    if (reader !== undefined) {
      this.#reader = undefined;
      reader({ done: false, value: event });
      return;
    }
    if (this.size >= this.#capacity) this.#dropOldest();
    this.#items.push(event);
  }

  /**
   * The oldest buffered event, taken at once, or `undefined` when none is buffered. Lets a
   * wrapper that maps events (a typed subscription) hand on one promise per event instead of
   * awaiting this one's.
   */
  take(): BusEvent | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const value = this.#items[this.#head++] as BusEvent;
    this.#maybeCompact();
    return value;
  }

  next(): Promise<IteratorResult<BusEvent>> {
    const value = this.take();
    if (value !== undefined) return Promise.resolve({ done: false, value });
    if (this.#closing !== undefined) return Promise.resolve(done);
    return new Promise((resolve) => (this.#reader = resolve));
  }

  async return(): Promise<IteratorResult<BusEvent>> {
    await this.close();
    return done;
  }

  [Symbol.asyncIterator](): AsyncIterator<BusEvent> {
    return this;
  }

  /** Idempotent: wakes a pending reader, drops what is buffered, unregisters. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #doClose(): Promise<void> {
    this.#items = [];
    this.#head = 0;
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.(done);
    await this.#options.onClose?.();
  }

  #dropOldest(): void {
    this.#head++;
    this.#maybeCompact();
    this.#dropped++;
    this.#options.onDrop?.();
    const logger = this.#options.logger ?? noopLogger;
    const fields = { pattern: this.pattern, dropped: this.#dropped, capacity: this.#capacity };
    if (this.#dropped === 1) logger.warn('bus subscription buffer full: dropping oldest', fields);
  }

  #maybeCompact(): void {
    if (this.#head < 1024 || this.#head * 2 < this.#items.length) return;
    this.#items = this.#items.slice(this.#head);
    this.#head = 0;
  }
}
