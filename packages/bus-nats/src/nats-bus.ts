import {
  assertBusPayload,
  BufferedSubscription,
  BusBase,
  ErrorCode,
  EventumError,
  isValidSubject,
  newEnvelopeId,
  toError,
} from '@eventum/core';
import type {
  Bus,
  BusDelivery,
  BusPayload,
  BusPublishOptions,
  BusSubscribeOptions,
  BusSubscription,
} from '@eventum/core';
import { connect } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';

import { decodeMessage, encodeBody, traceHeaders } from './wire.js';
import type { ReceivedMessage } from './wire.js';
import { natsDefaults } from './options.js';
import type { NatsBusOptions, NatsBusStatus } from './options.js';

/**
 * Connects to NATS and returns the bus on it (core NATS: at most once, no persistence). Throws
 * `ERR_REFUSED` when no server answers (unless `waitOnFirstConnect`). The connection reconnects
 * by itself (forever by default) and re-sends its subscriptions; `close()` drains it.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const nc = await connectNats(options);
  return new NatsBus(nc, options);
}

/** Opens the connection with eventum's defaults. */
export async function connectNats(options: NatsBusOptions): Promise<NatsConnection> {
  try {
    return await connect(connectionOptions(options));
  } catch (error) {
    throw new EventumError(
      ErrorCode.Refused,
      `cannot connect to NATS at ${String(options.servers)}: ${toError(error).message}`,
      { cause: error },
    );
  }
}

function connectionOptions(options: NatsBusOptions): ConnectionOptions {
  return {
    servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
    name: options.name ?? natsDefaults.name,
    noEcho: options.echo === false,
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    maxReconnectAttempts: options.maxReconnectAttempts ?? natsDefaults.maxReconnectAttempts,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? natsDefaults.reconnectTimeWaitMs,
    reconnectJitter: options.reconnectJitterMs ?? natsDefaults.reconnectJitterMs,
    timeout: options.connectTimeoutMs ?? natsDefaults.connectTimeoutMs,
    // Otherwise every request (each JetStream publish) builds two errors with stack traces in
    // case it fails: a third of a JetStream publisher's CPU. The bus logs failures by message.
    noAsyncTraces: true,
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.pass === undefined ? {} : { pass: options.pass }),
    ...(options.token === undefined ? {} : { token: options.token }),
  };
}

/** The NATS core transport. The JetStream transport extends it. */
export class NatsBus extends BusBase implements Bus {
  readonly transport: string = 'nats';
  protected readonly nc: NatsConnection;
  protected readonly options: NatsBusOptions;
  readonly #subscriptions = new Set<{ close(): Promise<void> }>();
  readonly #statusLoop: Promise<void>;
  #connected = true;
  #sentWhileDisconnected = 0;

  constructor(nc: NatsConnection, options: NatsBusOptions) {
    super(options);
    this.nc = nc;
    this.options = options;
    this.#statusLoop = this.#watchStatus();
    void nc.closed().then((error) => {
      if (this.isClosed) return;
      const reason = new EventumError(ErrorCode.Bus, 'NATS connection closed', { cause: error });
      this.logger.error('NATS connection closed on its own', { reason: error?.message });
      void this.close(reason);
    });
    this.group.onClose(() => this.#shutdown());
  }

  publish(topic: string, payload: BusPayload, options: BusPublishOptions = {}): void {
    if (!this.admitPublish(topic)) return;
    assertBusPayload(payload);
    const id = options.id ?? newEnvelopeId();
    this.send(topic, id, encodeBody(id, payload, options), options);
  }

  subscribe(pattern: string, options: BusSubscribeOptions = {}): BusSubscription {
    this.admitSubscribe(pattern);
    const topic = topicOf(pattern);
    // The callback runs on later socket reads, never before `subscription` is assigned.
    const natsSub = this.nc.subscribe(pattern, {
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      callback: (error, msg) => {
        if (error !== null) this.transportError('NATS subscription failed', error, { pattern });
        else this.receive(subscription, msg, topic);
      },
    });
    const subscription = this.buffered(pattern, options, {
      ready: () => this.nc.flush(),
      unsubscribe: () => natsSub.unsubscribe(),
    });
    return subscription;
  }

  async flush(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.flush().catch(() => undefined);
  }

  /** Hands an encoded envelope (`body`, with its `id`) to the connection; failures are counted
   * and logged, never thrown. */
  protected send(topic: string, _id: string, body: Uint8Array, options: BusPublishOptions): void {
    if (!this.#connected && ++this.#sentWhileDisconnected > this.#maxWhileDisconnected()) {
      this.counters.dropped++;
      if (this.#sentWhileDisconnected === this.#maxWhileDisconnected() + 1) {
        this.logger.warn('NATS disconnected and publish buffer full: dropping', { topic });
      }
      return;
    }
    try {
      const headers = traceHeaders(options);
      this.nc.publish(topic, body, headers === undefined ? undefined : { headers });
      this.counters.published++;
    } catch (error) {
      this.transportError('NATS publish failed', error, { topic });
    }
  }

  /**
   * A buffered subscription wired to this bus: counted drops (the first reported as a
   * `slowConsumer` status), `ready` from the transport, `unsubscribe` when it closes.
   */
  protected buffered(
    pattern: string,
    options: BusSubscribeOptions,
    hooks: { ready: () => Promise<void>; unsubscribe: () => void | Promise<void> },
  ): BufferedSubscription {
    let reported = false;
    const subscription: BufferedSubscription = new BufferedSubscription(pattern, {
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }),
      logger: this.logger,
      ready: Promise.resolve().then(hooks.ready),
      onDrop: () => {
        this.counters.dropped++;
        if (!reported) this.options.onStatus?.({ type: 'slowConsumer', pattern });
        reported = true;
      },
      onClose: async () => {
        this.#subscriptions.delete(subscription);
        try {
          if (!this.nc.isClosed()) await hooks.unsubscribe();
        } catch (error) {
          this.logger.debug('unsubscribe failed', { pattern, reason: toError(error).message });
        }
      },
    });
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** Keeps `subscription` to close it before the connection drains; returns a function that
   * forgets it. */
  protected track(subscription: { close(): Promise<void> }): () => void {
    this.#subscriptions.add(subscription);
    return () => this.#subscriptions.delete(subscription);
  }

  /** Decodes one message into `subscription` (`topic`: see {@link topicOf}); a malformed body is
   * counted and skipped. */
  protected receive(
    subscription: BufferedSubscription,
    msg: ReceivedMessage,
    topic: string | undefined,
    delivery?: BusDelivery,
  ): boolean {
    try {
      const event = decodeMessage(msg, topic ?? msg.subject, delivery);
      this.counters.delivered++;
      subscription.push(event);
      return true;
    } catch (error) {
      this.transportError('malformed bus message skipped', error, { subject: msg.subject });
      return false;
    }
  }

  /** Ends every subscription before the connection drains. */
  protected async closeSubscriptions(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
  }

  #maxWhileDisconnected(): number {
    return this.options.maxPendingWhileDisconnected ?? natsDefaults.maxPendingWhileDisconnected;
  }

  async #watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      const reported: NatsBusStatus = {
        type: status.type,
        ...('server' in status && typeof status.server === 'string'
          ? { server: status.server }
          : {}),
        ...('pending' in status ? { pending: status.pending } : {}),
      };
      if (status.type === 'disconnect') this.#connected = false;
      if (status.type === 'reconnect') {
        this.#connected = true;
        this.#sentWhileDisconnected = 0;
      }
      if (
        ['disconnect', 'reconnect', 'error', 'staleConnection', 'slowConsumer'].includes(
          status.type,
        )
      ) {
        this.logger.warn(`NATS ${status.type}`, { ...reported });
      }
      this.options.onStatus?.(reported);
    }
  }

  async #shutdown(): Promise<void> {
    await this.closeSubscriptions();
    if (!this.nc.isClosed()) {
      await this.nc.drain().catch((error: unknown) => {
        this.logger.warn('NATS drain failed', { reason: toError(error).message });
      });
    }
    await this.nc.close().catch(() => undefined);
    await this.#statusLoop.catch(() => undefined);
  }
}

/** The topic of every message a subscription to `pattern` receives when it has no wildcard (the
 * subject need not be decoded from each message), `undefined` otherwise. */
export function topicOf(pattern: string): string | undefined {
  return isValidSubject(pattern) ? pattern : undefined;
}
