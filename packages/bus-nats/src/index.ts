// The public surface of @eventum/bus-nats: explicit named exports only.

export { createNatsBus } from './nats-bus.js';
export { Header } from './headers.js';
export type {
  JetStreamBusOptions,
  JetStreamConsumerOptions,
  JetStreamStreamOptions,
  NatsBusOptions,
  NatsBusStatus,
} from './options.js';
