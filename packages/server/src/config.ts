import { DEFAULT_MAX_CONNECTIONS } from './accept-guard.js';
import {
  DEFAULT_HOST,
  busSchema,
  httpServerSchema,
  positiveNumber,
  redundancySchema,
} from './config-sections.js';

export { DEFAULT_HOST };

/**
 * The server configuration: Hat's `server.yaml` field names (snake_case) plus eventum's own
 * options. The CLI loads a YAML or JSON file, validates it against {@link serverConfigSchema}
 * (and the backend and each module against their own schemas), fills defaults and freezes it.
 */

/** Default eventer listen port (Hat's). */
export const DEFAULT_PORT = 23012;
/** Chatter keep-alive defaults, in seconds as Hat configures them. */
export const DEFAULT_PING_DELAY = 20;
export const DEFAULT_PING_TIMEOUT = 20;
/** Largest accepted chatter frame. */
export const DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
/** Bytes a connection may have waiting to be sent before it counts as a slow consumer. */
export const DEFAULT_MAX_SEND_QUEUE_BYTES = 64 * 1024 * 1024;

export interface EventerServerConfig {
  readonly host: string;
  readonly port: number;
  /** Seconds without a received message before a ping is sent; 0 disables keep-alive. */
  readonly ping_delay: number;
  /** Seconds to wait for any message after a ping before closing. */
  readonly ping_timeout: number;
  readonly max_frame_size: number;
  readonly max_send_queue_bytes: number;
  /** Simultaneous eventer connections; more are refused (closed at once) and logged. */
  readonly max_connections: number;
  /** Serve TLS on the eventer port; absent = plain TCP. */
  readonly tls?: EventerTlsConfig;
}

/** `eventer_server.tls`: PEM files, relative paths against the configuration file's directory. */
export interface EventerTlsConfig {
  readonly cert_path: string;
  readonly key_path: string;
  readonly ca_path?: string;
  /** Require client certificates signed by `ca_path` (mutual TLS). */
  readonly verify_clients: boolean;
}

/** Default HTTP/WebSocket API port (DESIGN.md). */
export const DEFAULT_HTTP_PORT = 23080;

/**
 * `http_server`: the HTTP + WebSocket API and the console. `port` absent means
 * {@link DEFAULT_HTTP_PORT}, or 0 (a free port) when `eventer_server.port` is 0, so a
 * configuration that asks for any free eventer port never collides on the HTTP one.
 */
export interface HttpServerConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port?: number;
  /** Bearer tokens accepted; empty (and `accept_server_token` off) means no authentication. */
  readonly tokens: readonly string[];
  /** Also accept the eventer `server_token` as a bearer token. */
  readonly accept_server_token: boolean;
  /** Origins allowed by CORS: exact origins, or `*` for any; empty sends no CORS headers. */
  readonly cors_origins: readonly string[];
  /** Largest accepted request body. */
  readonly max_body_bytes: number;
  /** Bytes waiting to be sent to one WebSocket before it is disconnected as a slow consumer,
   * and to one SSE stream before its events are dropped (with a marker). */
  readonly max_send_queue_bytes: number;
  /** Seconds between SSE keep-alive comments. */
  readonly keep_alive_interval: number;
  /** Simultaneous WebSocket and SSE subscribers; more are refused with 503. */
  readonly max_subscribers: number;
  /** Serve the web console at `/`. */
  readonly console: boolean;
  /** Serve HTTPS (and WSS) with this certificate; absent = plain HTTP. */
  readonly tls?: { readonly cert_path: string; readonly key_path: string };
}

/** A backend section: `type` picks the plugin (Hat's `module` names are mapped to it). */
export interface BackendSection {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A module section: `module` is a package name or a path relative to the config file. */
export interface ModuleSection {
  readonly module: string;
  readonly [key: string]: unknown;
}

/** The server → bus bridge (`bus.publish`). */
export interface BusPublishSection {
  readonly enabled: boolean;
  /** Subject prefix; absent means `eventum.<server_id>`. */
  readonly prefix?: string;
  /** Publish after the backend's flush instead of at registration. */
  readonly persisted: boolean;
}

/** One bus → server source (`bus.subscribe[i]`). */
export interface BusSubscribeSection {
  readonly subjects: string;
  readonly prefix: string;
  readonly queue?: string;
}

/** Process lifecycle notifications of the server itself (`bus.lifecycle`, docs/notify.md). */
export interface BusLifecycleSection {
  readonly enabled: boolean;
  /** The notify system name (subjects `<system>.events.1052.<origin>`). */
  readonly system: string;
  /** The origin; absent means `eventum-server.<server_id>`. */
  readonly origin?: string;
}

/** The `bus` section: `type` picks the transport (its other fields are validated against the
 * transport's schema), `publish` and `subscribe` configure the bridge, `lifecycle` the server's
 * process lifecycle notifications. */
export interface BusSection {
  readonly type: string;
  readonly publish: BusPublishSection;
  readonly subscribe: readonly BusSubscribeSection[];
  readonly lifecycle: BusLifecycleSection;
  readonly [key: string]: unknown;
}

/** Hat-style redundancy (`redundancy`): the peers to sync with, and the activity lease. */
export interface RedundancySection {
  readonly peers: readonly {
    readonly server_id: number;
    readonly host: string;
    readonly port: number;
  }[];
  /** A PostgreSQL advisory lock named `key` (the group): its holder runs the engine. */
  readonly lease: {
    readonly type: 'postgres';
    readonly url: string;
    readonly key: string;
    readonly check_period: number;
  };
  /** Seconds between a syncer's attempts to connect to a peer (Hat's `reconnect_delay`). */
  readonly reconnect_delay: number;
}

export interface ServerConfig {
  readonly name: string;
  readonly server_id: number;
  readonly server_token: string | null;
  readonly backend: BackendSection;
  readonly modules: readonly ModuleSection[];
  readonly eventer_server: EventerServerConfig;
  readonly http_server: HttpServerConfig;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' };
  readonly bus?: BusSection;
  readonly redundancy?: RedundancySection;
}

/** JSON Schema of the whole file. Backend and module sections are open here and validated
 * against their plugin's own schema afterwards. */
export const serverConfigSchema = {
  $id: 'eventum://server.json',
  type: 'object',
  properties: {
    type: { const: 'event', description: "Hat's optional configuration type tag." },
    version: { type: 'string', description: 'Informational.' },
    name: { type: 'string', minLength: 1, default: 'eventum' },
    server_id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 1 },
    server_token: { type: ['string', 'null'], default: null },
    backend: {
      type: 'object',
      properties: { type: { type: 'string' }, module: { type: 'string' } },
      anyOf: [{ required: ['type'] }, { required: ['module'] }],
    },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        properties: { module: { type: 'string', minLength: 1 } },
        required: ['module'],
      },
      default: [],
    },
    eventer_server: {
      type: 'object',
      properties: {
        host: { type: 'string', default: DEFAULT_HOST },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: DEFAULT_PORT },
        ping_delay: { type: 'number', minimum: 0, default: DEFAULT_PING_DELAY },
        ping_timeout: { ...positiveNumber, default: DEFAULT_PING_TIMEOUT },
        max_frame_size: { type: 'integer', minimum: 1024, default: DEFAULT_MAX_FRAME_SIZE },
        max_send_queue_bytes: {
          type: 'integer',
          minimum: 1024,
          default: DEFAULT_MAX_SEND_QUEUE_BYTES,
        },
        max_connections: { type: 'integer', minimum: 1, default: DEFAULT_MAX_CONNECTIONS },
        tls: {
          type: 'object',
          description: 'TLS on the eventer port (PEM files); without it, plain TCP.',
          properties: {
            cert_path: { type: 'string', minLength: 1 },
            key_path: { type: 'string', minLength: 1 },
            ca_path: { type: 'string', minLength: 1 },
            verify_clients: { type: 'boolean', default: false },
          },
          required: ['cert_path', 'key_path'],
          additionalProperties: false,
        },
      },
      additionalProperties: false,
      default: {},
    },
    http_server: httpServerSchema,
    log: {
      type: 'object',
      description: "eventum reads `level`; other keys (Hat's Python logging config) are ignored.",
      properties: { level: { enum: ['debug', 'info', 'warn', 'error'], default: 'info' } },
      default: {},
    },
    bus: busSchema,
    redundancy: redundancySchema,
    adminer_server: { type: 'object', description: 'Accepted for Hat compatibility; unused.' },
    monitor_component: {
      type: 'object',
      description: 'Hat redundancy through its monitor; not supported: use `redundancy`.',
    },
  },
  additionalProperties: false,
} as const;
