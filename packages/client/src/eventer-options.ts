import { invalidArgument, noopLogger } from '@eventum/core';
import type { Event, EventType, Logger } from '@eventum/core';

import { checkInteger, resolveChatterOptions } from './chatter-options.js';
import type { ChatterOptions } from './chatter-options.js';
import { DEFAULT_HOST } from './connect-chatter.js';
import { parseEventerAddress } from './tls-options.js';
import type { ChatterTlsOptions } from './tls-options.js';

/** Hat's default eventer port. */
export const DEFAULT_EVENTER_PORT = 23012;
/** Delay between reconnection attempts (Hat's component `reconnect_delay`, 0.5 s). */
export const DEFAULT_RECONNECT_DELAY_MS = 500;
/** Batches an `events()` consumer may fall behind before its iterator fails. */
export const DEFAULT_EVENTS_QUEUE_SIZE = 1024;

/** Options of {@link connect} (Hat's `hat.event.eventer.connect`). */
export interface EventerClientOptions extends ChatterOptions {
  /** Default `'127.0.0.1'`. */
  readonly host?: string;
  /** Default {@link DEFAULT_EVENTER_PORT}. */
  readonly port?: number;
  /**
   * Hat's address form instead of `host`/`port`: `tcp+sbs://host:port` or, for TLS,
   * `ssl+sbs://host:port` (also `tcp://`, `ssl://`, `tls://`). Giving it with `host` or `port`
   * is an error.
   */
  readonly address?: string;
  /** Connect with TLS (`true`: verify the server against Node's root CAs); an `ssl+sbs` address
   * implies `true` unless options are given here. Default plain TCP. */
  readonly tls?: ChatterTlsOptions | boolean;
  /** Name the server records in its CONNECTED/DISCONNECTED events. */
  readonly clientName: string;
  /** Must equal the server's token when the server has one; a token sent to a server without
   * one is refused. */
  readonly clientToken?: string | null;
  /** Event types (with `?`/`*` wildcards) to be notified of; empty (default) = none. */
  readonly subscriptions?: readonly EventType[];
  /** Only notify events registered by this server id; default all. */
  readonly serverId?: number | null;
  /** Notify events once persisted (flushed) instead of once registered (default false). */
  readonly persisted?: boolean;
  readonly logger?: Logger;
  /**
   * Called for every `MsgEventsNotify`, in order, one call at a time: the client reads nothing
   * else from the server until the returned promise settles. When the notification asks for an
   * ack (`last=false`, persisted notifications), the ack is sent after it resolved. A throw or
   * rejection closes the client with that error as reason (Hat semantics).
   */
  readonly onEvents?: (events: readonly Event[]) => void | Promise<void>;
  /** Reconnect (and re-init) after the connection drops, every `delayMs` until it succeeds.
   * Only after a first successful connect: `connect()` itself fails fast. */
  readonly reconnect?: { readonly delayMs?: number };
  /** Per `events()` consumer bound, in batches (default {@link DEFAULT_EVENTS_QUEUE_SIZE}). */
  readonly eventsQueueSize?: number;
  /** Aborts `connect()` (`ERR_ABORTED`); no effect on the returned client. */
  readonly signal?: AbortSignal;
}

/** Validated options with defaults filled in. */
export interface ResolvedEventerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: ChatterTlsOptions | boolean;
  readonly chatter: ChatterOptions;
  readonly init: {
    readonly clientName: string;
    readonly clientToken: string | null;
    readonly subscriptions: readonly EventType[];
    readonly serverId: number | null;
    readonly persisted: boolean;
  };
  readonly logger: Logger;
  readonly onEvents: ((events: readonly Event[]) => void | Promise<void>) | null;
  readonly reconnectDelayMs: number | null;
  readonly eventsQueueSize: number;
}

/** Checks `options` and fills in defaults; throws `ERR_INVALID_ARGUMENT` naming the option. */
export function resolveEventerOptions(options: EventerClientOptions): ResolvedEventerOptions {
  const { host, port, tls } = resolveTarget(options);
  checkInteger('port', port, 0, 65535);
  if (typeof options.clientName !== 'string') throw invalidArgument('clientName must be a string');
  if (options.serverId != null) checkInteger('serverId', options.serverId, 0);
  const reconnectDelayMs =
    options.reconnect === undefined
      ? null
      : (options.reconnect.delayMs ?? DEFAULT_RECONNECT_DELAY_MS);
  if (reconnectDelayMs !== null)
    checkInteger('reconnect.delayMs', reconnectDelayMs, 0, 2 ** 31 - 1);
  const eventsQueueSize = options.eventsQueueSize ?? DEFAULT_EVENTS_QUEUE_SIZE;
  checkInteger('eventsQueueSize', eventsQueueSize, 1);
  return {
    host,
    port,
    tls,
    chatter: resolveChatterOptions(options),
    init: {
      clientName: options.clientName,
      clientToken: options.clientToken ?? null,
      subscriptions: options.subscriptions ?? [],
      serverId: options.serverId ?? null,
      persisted: options.persisted ?? false,
    },
    logger: options.logger ?? noopLogger,
    onEvents: options.onEvents ?? null,
    reconnectDelayMs,
    eventsQueueSize,
  };
}

function resolveTarget(options: EventerClientOptions): {
  host: string;
  port: number;
  tls: ChatterTlsOptions | boolean;
} {
  if (options.address === undefined) {
    return {
      host: options.host ?? DEFAULT_HOST,
      port: options.port ?? DEFAULT_EVENTER_PORT,
      tls: options.tls ?? false,
    };
  }
  if (options.host !== undefined || options.port !== undefined) {
    throw invalidArgument('give either address or host/port, not both');
  }
  const parsed = parseEventerAddress(options.address);
  if (!parsed.tls && options.tls !== undefined && options.tls !== false) {
    throw invalidArgument(`tls options given for the plain address ${options.address}`);
  }
  if (parsed.tls && options.tls === false) {
    throw invalidArgument(`tls: false contradicts the TLS address ${options.address}`);
  }
  return { host: parsed.host, port: parsed.port, tls: parsed.tls ? (options.tls ?? true) : false };
}
