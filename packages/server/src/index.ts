// The public surface of @eventum/server: explicit named exports only.

export { SourceType, formatSource } from './source.js';
export type { Source } from './source.js';

export type { EngineApi, Module, ModuleInfo, ProcessResult } from './module.js';
export { loadModuleInfo } from './load-module.js';

export {
  DEFAULT_MAX_MODULE_EVENTS,
  DEFAULT_MAX_SESSION_ROUNDS,
  DEFAULT_REGISTER_QUEUE_SIZE,
} from './engine-options.js';
export type { ClientNameSource, ConfiguredModule, EngineOptions } from './engine-options.js';
export { createEngine } from './engine.js';
export type { Engine } from './engine.js';

export { createEngineRunner } from './engine-runner.js';
export type { EngineRunner, EngineRunnerOptions, StatusListener } from './engine-runner.js';

export { DEFAULT_MAX_CLIENT_QUEUE_BYTES, createEventerServer } from './eventer-server.js';
export { DEFAULT_MAX_CONNECTIONS } from './accept-guard.js';
export type { EventerServer, EventerServerOptions, EventerServerStats } from './eventer-server.js';
export { TLS_HANDSHAKE_TIMEOUT_MS } from './eventer-tls.js';
export type { EventerTlsOptions, Pem } from './eventer-tls.js';
export { DEFAULT_LOG_BURST, DEFAULT_LOG_INTERVAL_MS, LogLimiter } from './log-limiter.js';
export type { LimitedLevel, LogLimiterOptions } from './log-limiter.js';
export { createServer } from './server.js';
export { lockStorage } from './storage-lock.js';
export type { StorageLockHolder } from './storage-lock.js';
export type { RedundancySettings, Server, ServerOptions } from './server.js';
export { Redundancy } from './redundancy.js';
export type { ActivityGate, RedundancyOptions } from './redundancy.js';
export { Syncer } from './syncer.js';
export type { Peer, SyncedState, SyncerOptions } from './syncer.js';
export {
  DEFAULT_HOST,
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_MAX_SEND_QUEUE_BYTES,
  DEFAULT_PING_DELAY,
  DEFAULT_PING_TIMEOUT,
  DEFAULT_PORT,
  serverConfigSchema,
} from './config.js';
export type {
  BackendSection,
  BusPublishSection,
  BusLifecycleSection,
  BusSection,
  BusSubscribeSection,
  EventerServerConfig,
  EventerTlsConfig,
  HttpServerConfig,
  ModuleSection,
  RedundancySection,
  ServerConfig,
} from './config.js';
export {
  BRIDGE_EVENT_TYPE,
  bridgeEnvelopeId,
  busSourceModule,
  publishToBus,
} from './bus-bridge.js';
export type { BusPublishBridge, BusSourceOptions } from './bus-bridge.js';
export { createHttpGateway } from './http/gateway.js';
export type { HttpGateway, HttpGatewayOptions } from './http/gateway.js';
export type { ClientInfo, GatewayHost, MonitorPort } from './http/context.js';
export { WS_SLOW_CONSUMER } from './http/live-routes.js';
export { openApiDocument } from './http/openapi.js';
