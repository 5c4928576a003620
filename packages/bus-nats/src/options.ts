import type { BusOptions } from '@eventum/core';

/** Options of {@link createNatsBus}. Durations are in milliseconds. */
export interface NatsBusOptions extends BusOptions {
  /** One URL or several (`nats://host:4222`); the client picks among them. */
  readonly servers: string | readonly string[];
  /** Connection name shown by the server (default `eventum-bus`). */
  readonly name?: string;
  /** Deliver this connection's own publishes to its subscriptions (default true, like the
   * in-process bus). */
  readonly echo?: boolean;
  /** Keep retrying when the server is not there at start (default false: fail at once). */
  readonly waitOnFirstConnect?: boolean;
  /** Reconnect attempts after a disconnect; -1 (the default) retries forever. */
  readonly maxReconnectAttempts?: number;
  /** Wait between reconnect attempts (default 2000), plus a random jitter up to
   * `reconnectJitterMs` (default 100). */
  readonly reconnectTimeWaitMs?: number;
  readonly reconnectJitterMs?: number;
  /** Connect timeout (default 20,000). */
  readonly connectTimeoutMs?: number;
  /** Publishes accepted while disconnected, sent on reconnect; more are dropped and counted
   * (default 10,000). */
  readonly maxPendingWhileDisconnected?: number;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** Called with every connection status change (disconnect, reconnect, slow consumer, …). */
  readonly onStatus?: (status: NatsBusStatus) => void;
}

/** A connection status event as the bus reports it. */
export interface NatsBusStatus {
  readonly type: string;
  readonly server?: string;
  readonly pending?: number;
  /** The subscription pattern (a `slowConsumer` reported by the bus's own buffer). */
  readonly pattern?: string;
}

/** The JetStream stream the bus writes to; created at start, or checked if it exists. */
export interface JetStreamStreamOptions {
  readonly name: string;
  /** Subjects the stream captures; every publish must fall under one of them. */
  readonly subjects: readonly string[];
  /** `file` (default) or `memory`. */
  readonly storage?: 'file' | 'memory';
  /** Discard messages older than this (default 0: keep forever). */
  readonly maxAgeMs?: number;
  /** Keep at most this many messages (default -1: unlimited). */
  readonly maxMsgs?: number;
  /** Publishes with an id seen within this window are dropped by the server (default 120,000). */
  readonly duplicateWindowMs?: number;
}

/** How durable (queue) consumers are created. */
export interface JetStreamConsumerOptions {
  /** Time the server waits for an ack before redelivering (default 30,000). */
  readonly ackWaitMs?: number;
  /** Deliveries of one message before the server gives up (default -1: unlimited). */
  readonly maxDeliver?: number;
  /** Redelivery delays, one per attempt (the last repeats); overrides `ackWaitMs` for them. */
  readonly backoffMs?: readonly number[];
  /** Unacknowledged messages the server lets out at once (default 1000). */
  readonly maxAckPending?: number;
}

/** Options of {@link createJetStreamBus}. */
export interface JetStreamBusOptions extends NatsBusOptions {
  readonly stream: JetStreamStreamOptions;
  readonly consumer?: JetStreamConsumerOptions;
}

export const natsDefaults = {
  name: 'eventum-bus',
  maxReconnectAttempts: -1,
  reconnectTimeWaitMs: 2000,
  reconnectJitterMs: 100,
  connectTimeoutMs: 20_000,
  maxPendingWhileDisconnected: 10_000,
} as const;
