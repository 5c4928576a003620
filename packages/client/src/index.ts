// The public surface of @eventum/client: explicit named exports only.

export { ChatterConnection } from './chatter-connection.js';
export { COPY_THRESHOLD_BYTES } from './chatter-envelope.js';
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_MAX_SEND_QUEUE_BYTES,
  DEFAULT_PING_DELAY_MS,
  DEFAULT_PING_TIMEOUT_MS,
  DEFAULT_RECEIVE_QUEUE_SIZE,
} from './chatter-options.js';
export type { ChatterOptions } from './chatter-options.js';
export { DEFAULT_HOST, connectChatter } from './connect-chatter.js';
export type { ChatterConnectOptions } from './connect-chatter.js';
export { sameConversation } from './conversation.js';
export type { Conversation, ReceivedMessage, SendOptions } from './conversation.js';
export type { SocketInfo } from './socket.js';
export { parseEventerAddress } from './tls-options.js';
export type { ChatterTlsOptions, EventerAddress, Pem } from './tls-options.js';
export { ConsumerOverflowError, EventerInitError } from './eventer-errors.js';
export { EventerClient, connect } from './eventer-client.js';
export type { RegisterOptions } from './eventer-client.js';
export {
  DEFAULT_EVENTER_PORT,
  DEFAULT_EVENTS_QUEUE_SIZE,
  DEFAULT_RECONNECT_DELAY_MS,
} from './eventer-options.js';
export type { EventerClientOptions } from './eventer-options.js';
export {
  DEFAULT_QUERY_ALL_MAX_EVENTS,
  narrowTimeseries,
  queryAll,
  queryPages,
  queryServerPages,
} from './paging.js';
export type { QueryAllOptions, QuerySource } from './paging.js';
export { HttpApiError, HttpClient } from './http-client.js';
export type {
  HttpClientOptions,
  HttpSubscription,
  WebSocketFactory,
  WebSocketLike,
} from './http-client.js';
export { eventFromJson } from './http-json.js';
export type { EventJson } from './http-json.js';
