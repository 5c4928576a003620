// The public surface of @eventum/bus-nats: explicit named exports only.

export { createNatsBus } from './nats-bus.js';
export { createJetStreamBus } from './jetstream-bus.js';
export { DEFAULT_DUPLICATE_WINDOW_MS } from './stream.js';
export { Header } from './wire.js';
export { jetStreamBus, natsBus } from './plugin.js';
export type { JetStreamBusConfig, NatsBusConfig } from './plugin.js';
export type {
  JetStreamBusOptions,
  JetStreamConsumerOptions,
  JetStreamStreamOptions,
  NatsBusOptions,
  NatsBusStatus,
} from './options.js';
