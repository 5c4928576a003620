import type { ChatterOptions } from '@eventum/client';
import type { Backend, Logger } from '@eventum/core';

import type { EventerTlsOptions } from './eventer-tls.js';
import type { LogLimiterOptions } from './log-limiter.js';

/** Default bound on bytes waiting to be sent to one client before it is a slow consumer. */
export const DEFAULT_MAX_CLIENT_QUEUE_BYTES = 64 * 1024 * 1024;

export interface EventerServerOptions {
  readonly host: string;
  /** 0 picks a free port (see `address`). */
  readonly port: number;
  readonly serverId: number;
  /** Clients that send a token must send this one; null refuses every tokened client. */
  readonly serverToken: string | null;
  /** Answers queries (in every status). Not owned. */
  readonly backend: Backend;
  readonly logger?: Logger;
  readonly chatter?: ChatterOptions;
  /**
   * A client with more than this many bytes waiting to be sent when a notification is due is a
   * slow consumer: it is disconnected (and logged) so it never stalls the engine or other
   * clients. Default {@link DEFAULT_MAX_CLIENT_QUEUE_BYTES}.
   */
  readonly maxClientQueueBytes?: number;
  /** Rate limits of the log lines peers can cause (closes, refusals, failed requests). */
  readonly logLimits?: LogLimiterOptions;
  /** Serve TLS instead of plain TCP. */
  readonly tls?: EventerTlsOptions;
  /**
   * Connections past this many open ones are closed at once and logged. Default
   * {@link DEFAULT_MAX_CONNECTIONS}.
   */
  readonly maxConnections?: number;
}

/** What the eventer server counts (see {@link EventerServer.stats}). */
export interface EventerServerStats {
  /** Initialised connections. */
  readonly clients: number;
  readonly queries: number;
  /** Bytes waiting to be sent, summed over the connections. */
  readonly sendQueueBytes: number;
  readonly slowConsumerDisconnects: number;
}
