import { invalidArgument, noopLogger, toError } from '@eventum/core';
import type { Bus, BusPublishOptions, BusSubscribeOptions, BusSubscription } from '@eventum/core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { ConsumerMessages, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { DurableSubscription } from './durable-subscription.js';
import { traceHeaders } from './wire.js';
import { connectNats, NatsBus, topicOf } from './nats-bus.js';
import type { JetStreamBusOptions } from './options.js';
import { durableConfig, ensureStream, startOf } from './stream.js';

/**
 * Connects to NATS, creates or checks the stream, and returns the JetStream bus: publishes are
 * stored and acknowledged (de-duplicated by envelope id within the stream's window); a plain
 * subscription is an ordered consumer (live by default, or replayed `from` a sequence or time);
 * a `queue` subscription is a durable consumer with explicit acks (at least once).
 */
export async function createJetStreamBus(options: JetStreamBusOptions): Promise<Bus> {
  const nc = await connectNats(options);
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, options.stream, options.logger ?? noopLogger);
    return new JetStreamBus(nc, jsm, options);
  } catch (error) {
    await nc.close();
    throw error;
  }
}

class JetStreamBus extends NatsBus implements Bus {
  override readonly transport = 'jetstream';
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #acks = new Set<Promise<void>>();
  readonly #stream: string;

  constructor(nc: NatsConnection, jsm: JetStreamManager, options: JetStreamBusOptions) {
    super(nc, options);
    this.#js = jetstream(nc);
    this.#jsm = jsm;
    this.#stream = options.stream.name;
  }

  protected override send(
    topic: string,
    id: string,
    body: Uint8Array,
    options: BusPublishOptions,
  ): void {
    const headers = traceHeaders(options);
    const ack = this.#js
      .publish(topic, body, { msgID: id, ...(headers === undefined ? {} : { headers }) })
      .then(
        () => undefined,
        (error: unknown) => this.transportError('JetStream publish failed', error, { topic }),
      );
    this.counters.published++;
    this.#acks.add(ack);
    void ack.finally(() => this.#acks.delete(ack));
  }

  override subscribe(pattern: string, options: BusSubscribeOptions = {}): BusSubscription {
    this.admitSubscribe(pattern);
    return options.queue === undefined
      ? this.#ordered(pattern, options)
      : this.#durable(pattern, options.queue, options);
  }

  override async flush(): Promise<void> {
    await Promise.all([...this.#acks]);
    await super.flush();
  }

  #ordered(pattern: string, options: BusSubscribeOptions): BusSubscription {
    let messages: ConsumerMessages | undefined;
    const opened = deferredMessages();
    const subscription = this.buffered(pattern, options, {
      ready: () => opened.promise.then(() => undefined),
      unsubscribe: () => messages?.stop(),
    });
    const topic = topicOf(pattern);
    void (async () => {
      try {
        const consumer = await this.#js.consumers.get(this.#stream, {
          filter_subjects: pattern,
          ...startOf(options.from),
        });
        // A callback, not an iterator: one step less per message than reading nats.js's queue.
        messages = await consumer.consume({
          max_messages: options.bufferSize ?? 1024,
          callback: (msg) => {
            const delivery = { seq: msg.seq, count: msg.info.deliveryCount };
            this.receive(subscription, msg, topic, delivery);
          },
        });
        opened.resolve();
        const error = await messages.closed();
        if (error instanceof Error) throw error;
      } catch (error) {
        this.transportError('JetStream ordered consumer failed', error, { pattern });
        opened.resolve();
        await subscription.close();
      }
    })();
    return subscription;
  }

  #durable(pattern: string, queue: string, options: BusSubscribeOptions): BusSubscription {
    if (queue === '' || /[.*>\s]/.test(queue)) {
      throw invalidArgument(
        `JetStream queue (durable consumer) name must be one token, got ${JSON.stringify(queue)}`,
      );
    }
    let forget = (): void => undefined;
    const subscription = new DurableSubscription(pattern, {
      logger: this.logger,
      open: async () => {
        await this.#ensureConsumer(queue, pattern, options);
        const consumer = await this.#js.consumers.get(this.#stream, queue);
        return consumer.consume({ max_messages: options.bufferSize ?? 1024 });
      },
      onDelivered: () => this.counters.delivered++,
      onError: (message, error) => this.transportError(message, error, { pattern, queue }),
      onClose: () => forget(),
    });
    forget = this.track(subscription);
    return subscription;
  }

  async #ensureConsumer(
    queue: string,
    pattern: string,
    options: BusSubscribeOptions,
  ): Promise<void> {
    const existing = await this.#jsm.consumers.info(this.#stream, queue).catch(() => null);
    if (existing !== null) {
      if (existing.config.filter_subject !== pattern) {
        this.logger.warn('durable consumer exists with another filter; using it as it is', {
          queue,
          filter: existing.config.filter_subject,
          pattern,
        });
      }
      return;
    }
    const consumer = (this.options as JetStreamBusOptions).consumer ?? {};
    const config = durableConfig(queue, pattern, consumer, options.from);
    try {
      await this.#jsm.consumers.add(this.#stream, config);
    } catch (error) {
      // Another member may have created it at the same moment; use it if it is there now.
      if ((await this.#jsm.consumers.info(this.#stream, queue).catch(() => null)) === null)
        throw toError(error);
    }
  }
}

function deferredMessages(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
