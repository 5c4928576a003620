import { BufferedSubscription } from '@eventum/core';
import type { BusDelivery, BusEvent, BusSubscription } from '@eventum/core';

import type { Kind, NotificationData } from './kind.js';
import { NotificationError } from './validate.js';

/** A notification as a subscriber receives it: checked against its kind's schema. */
export interface Notification<K extends Kind = Kind> {
  /** The kind's name (discriminates {@link AnyNotification}). */
  readonly kind: K['name'];
  readonly kindId: number;
  /** The bus envelope id (unique per publish; JetStream de-duplicates on it). */
  readonly id: string;
  /** The subject it travelled on: `<prefix>.<kind id>.<origin>`. */
  readonly topic: string;
  readonly origin: string;
  readonly data: NotificationData<K>;
  /** JetStream: the stream sequence and delivery count. */
  readonly delivery?: BusDelivery;
}

/** A notification of any kind of the catalogue `K`: switch on `kind` to narrow `data`. */
export type AnyNotification<K extends Kind> = K extends Kind ? Notification<K> : never;

/**
 * What a subscription does with a received message: deliver the notification, skip it
 * (`undefined`), or refuse it (the error). No wrapper object: one fewer allocation per message.
 */
export type Decoded<N> = N | NotificationError | undefined;

/**
 * A subscription to notifications: `for await` it, close it (or `await using` it) when done. It
 * wraps one bus subscription: ordering, buffering (drop-oldest, `dropped`) and acknowledgement
 * (JetStream queues: when the next one is asked for) are the bus transport's. Messages that fail
 * the receipt check are skipped, counted in `invalid` and reported to `onInvalid`; notifications
 * of other kinds sharing the subscribed kind's id are skipped silently.
 */
export class NotifySubscription<N> implements AsyncIterable<N>, AsyncIterator<N>, AsyncDisposable {
  readonly #inner: BusSubscription;
  readonly #iterator: AsyncIterator<BusEvent>;
  /** The inner subscription when its buffer can be read at once (in-process, NATS core). */
  readonly #buffered: BufferedSubscription | undefined;
  readonly #decode: (event: BusEvent) => Decoded<N>;
  readonly #onInvalid: (error: NotificationError, event: BusEvent) => void;
  #invalid = 0;

  constructor(
    inner: BusSubscription,
    decode: (event: BusEvent) => Decoded<N>,
    onInvalid: (error: NotificationError, event: BusEvent) => void,
  ) {
    this.#inner = inner;
    this.#iterator = inner[Symbol.asyncIterator]();
    this.#buffered = inner instanceof BufferedSubscription ? inner : undefined;
    this.#decode = decode;
    this.#onInvalid = onInvalid;
  }

  /** The bus pattern: `<prefix>.<kind id or *>.<origin or >>`. */
  get pattern(): string {
    return this.#inner.pattern;
  }

  /** Resolves once the transport registered the subscription (never rejects). */
  get ready(): Promise<void> {
    return this.#inner.ready;
  }

  /** Messages dropped by the bus buffer because the reader fell behind. */
  get dropped(): number {
    return this.#inner.dropped;
  }

  /** Messages skipped because they failed the receipt check. */
  get invalid(): number {
    return this.#invalid;
  }

  get isClosed(): boolean {
    return this.#inner.isClosed;
  }

  next(): Promise<IteratorResult<N>> {
    // Buffered events are decoded at once: one promise per notification, as the bus's own.
    const buffered = this.#buffered;
    for (let event = buffered?.take(); event !== undefined; event = buffered?.take()) {
      const result = this.#accept(event);
      if (result !== undefined) return Promise.resolve(result);
    }
    return this.#iterator.next().then((result) => {
      if (result.done === true) return { done: true, value: undefined };
      return this.#accept(result.value) ?? this.next();
    });
  }

  /** The notification `event` decodes to, or undefined when it is skipped (or refused). */
  #accept(event: BusEvent): IteratorResult<N> | undefined {
    const decoded = this.#decode(event);
    if (decoded === undefined) return undefined;
    if (decoded instanceof NotificationError) {
      this.#invalid++;
      this.#onInvalid(decoded, event);
      return undefined;
    }
    return { done: false, value: decoded };
  }

  async return(): Promise<IteratorResult<N>> {
    await this.close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterator<N> {
    return this;
  }

  /** Idempotent: ends the iteration and unregisters from the bus. */
  close(): Promise<void> {
    return this.#inner.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
