import type { BusDelivery, BusEvent, BusSubscription, Logger } from '@eventum/core';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';

import { decodeMessage } from './wire.js';

const done: IteratorResult<BusEvent> = { done: true, value: undefined };

/** What {@link DurableSubscription} needs from its bus. */
export interface DurableHooks {
  readonly logger: Logger;
  /** Opens the pull consumer's message stream (after creating or checking the consumer). */
  readonly open: () => Promise<ConsumerMessages>;
  readonly onDelivered: () => void;
  readonly onError: (message: string, error: unknown) => void;
  readonly onClose: () => void;
}

/**
 * A JetStream queue subscription: a shared durable consumer with explicit acks. An event is
 * acknowledged when the reader asks for the next one, or ends the loop (`break`, `close()`):
 * an event whose reader dies before that is delivered again (to any member) once `ack_wait` (or
 * the back-off) passes. Nothing is dropped: the consumer pulls at most `bufferSize` ahead.
 */
export class DurableSubscription implements BusSubscription, AsyncIterator<BusEvent> {
  readonly pattern: string;
  readonly ready: Promise<void>;
  readonly dropped = 0;
  readonly #hooks: DurableHooks;
  readonly #messages: Promise<ConsumerMessages | null>;
  #iterator: AsyncIterator<JsMsg> | undefined;
  #unacked: JsMsg | undefined;
  #closing: Promise<void> | undefined;

  constructor(pattern: string, hooks: DurableHooks) {
    this.pattern = pattern;
    this.#hooks = hooks;
    this.#messages = hooks.open().catch((error: unknown) => {
      hooks.onError('JetStream consumer failed', error);
      void this.close();
      return null;
    });
    this.ready = this.#messages.then(() => undefined);
  }

  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  async next(): Promise<IteratorResult<BusEvent>> {
    this.#ack();
    const messages = await this.#messages;
    if (messages === null || this.#closing !== undefined) return done;
    this.#iterator ??= messages[Symbol.asyncIterator]();
    for (;;) {
      const result = await this.#iterator.next();
      if (result.done === true || this.#closing !== undefined) return done;
      const event = this.#decode(result.value);
      if (event !== undefined) return { done: false, value: event };
    }
  }

  async return(): Promise<IteratorResult<BusEvent>> {
    await this.close();
    return done;
  }

  [Symbol.asyncIterator](): AsyncIterator<BusEvent> {
    return this;
  }

  /** Acknowledges the last event read, stops pulling; events pulled but not read are delivered
   * again after `ack_wait`. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #doClose(): Promise<void> {
    this.#ack();
    this.#hooks.onClose();
    // `stop()`, not `close()`: close waits for the iterator to be read to its end.
    (await this.#messages)?.stop();
  }

  #ack(): void {
    this.#unacked?.ack();
    this.#unacked = undefined;
  }

  #decode(msg: JsMsg): BusEvent | undefined {
    try {
      const delivery: BusDelivery = { seq: msg.seq, count: msg.info.deliveryCount };
      const event = decodeMessage(msg, msg.subject, delivery);
      this.#unacked = msg;
      this.#hooks.onDelivered();
      return event;
    } catch (error) {
      msg.term();
      this.#hooks.onError('malformed bus message terminated', error);
      return undefined;
    }
  }
}
