import type { Bus, BusOptions, BusPlugin } from '@eventum/core';

import { createJetStreamBus } from './jetstream-bus.js';
import { createNatsBus } from './nats-bus.js';
import type { JetStreamBusOptions, NatsBusOptions } from './options.js';

/** The `bus` configuration section of type `nats` (snake_case, durations in ms). */
export interface NatsBusConfig {
  readonly servers: string | readonly string[];
  readonly name?: string;
  readonly echo?: boolean;
  readonly strict?: boolean;
  readonly wait_on_first_connect?: boolean;
  readonly max_reconnect_attempts?: number;
  readonly reconnect_time_wait_ms?: number;
  readonly reconnect_jitter_ms?: number;
  readonly connect_timeout_ms?: number;
  readonly max_pending_while_disconnected?: number;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

/** The section of type `jetstream`: the NATS fields plus the stream and consumer. */
export interface JetStreamBusConfig extends NatsBusConfig {
  readonly stream: {
    readonly name: string;
    readonly subjects: readonly string[];
    readonly storage?: 'file' | 'memory';
    readonly max_age_ms?: number;
    readonly max_msgs?: number;
    readonly duplicate_window_ms?: number;
  };
  readonly consumer?: {
    readonly ack_wait_ms?: number;
    readonly max_deliver?: number;
    readonly backoff_ms?: readonly number[];
    readonly max_ack_pending?: number;
  };
}

const ms = { type: 'integer', minimum: 0 } as const;
const natsProperties = {
  type: { type: 'string' },
  servers: {
    anyOf: [
      { type: 'string', minLength: 1 },
      { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
    ],
    default: 'nats://127.0.0.1:4222',
  },
  name: { type: 'string', minLength: 1 },
  echo: { type: 'boolean' },
  strict: { type: 'boolean' },
  wait_on_first_connect: { type: 'boolean' },
  max_reconnect_attempts: { type: 'integer', minimum: -1 },
  reconnect_time_wait_ms: ms,
  reconnect_jitter_ms: ms,
  connect_timeout_ms: { type: 'integer', minimum: 1 },
  max_pending_while_disconnected: ms,
  user: { type: 'string' },
  pass: { type: 'string' },
  token: { type: 'string' },
} as const;

const token = { type: 'string', pattern: '^[^.*>\\s]+$' } as const;

function natsOptions(config: NatsBusConfig, options: BusOptions): NatsBusOptions {
  const entries = {
    servers: config.servers,
    name: config.name,
    echo: config.echo,
    strict: config.strict,
    waitOnFirstConnect: config.wait_on_first_connect,
    maxReconnectAttempts: config.max_reconnect_attempts,
    reconnectTimeWaitMs: config.reconnect_time_wait_ms,
    reconnectJitterMs: config.reconnect_jitter_ms,
    connectTimeoutMs: config.connect_timeout_ms,
    maxPendingWhileDisconnected: config.max_pending_while_disconnected,
    user: config.user,
    pass: config.pass,
    token: config.token,
  };
  return { ...options, ...definedOnly(entries) } as NatsBusOptions;
}

function definedOnly(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** Configuration type `nats`: core NATS. */
export const natsBus: BusPlugin<NatsBusConfig> = {
  type: 'nats',
  configSchema: { type: 'object', properties: natsProperties, additionalProperties: false },
  create: (config, options): Promise<Bus> => createNatsBus(natsOptions(config, options)),
};

/** Configuration type `jetstream`: NATS with a JetStream stream and durable queue consumers. */
export const jetStreamBus: BusPlugin<JetStreamBusConfig> = {
  type: 'jetstream',
  configSchema: {
    type: 'object',
    properties: {
      ...natsProperties,
      stream: {
        type: 'object',
        properties: {
          name: token,
          subjects: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          storage: { enum: ['file', 'memory'] },
          max_age_ms: ms,
          max_msgs: { type: 'integer', minimum: -1 },
          duplicate_window_ms: ms,
        },
        required: ['name', 'subjects'],
        additionalProperties: false,
      },
      consumer: {
        type: 'object',
        properties: {
          ack_wait_ms: { type: 'integer', minimum: 1 },
          max_deliver: { type: 'integer', minimum: -1 },
          backoff_ms: { type: 'array', items: { type: 'integer', minimum: 1 } },
          max_ack_pending: { type: 'integer', minimum: -1 },
        },
        additionalProperties: false,
      },
    },
    required: ['stream'],
    additionalProperties: false,
  },
  create: (config, options): Promise<Bus> => {
    const { stream, consumer = {} } = config;
    const jetStreamOptions: JetStreamBusOptions = {
      ...natsOptions(config, options),
      stream: definedOnly({
        name: stream.name,
        subjects: stream.subjects,
        storage: stream.storage,
        maxAgeMs: stream.max_age_ms,
        maxMsgs: stream.max_msgs,
        duplicateWindowMs: stream.duplicate_window_ms,
      }) as unknown as JetStreamBusOptions['stream'],
      consumer: definedOnly({
        ackWaitMs: consumer.ack_wait_ms,
        maxDeliver: consumer.max_deliver,
        backoffMs: consumer.backoff_ms,
        maxAckPending: consumer.max_ack_pending,
      }),
    };
    return createJetStreamBus(jetStreamOptions);
  },
};
