import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';

import { ErrorCode, EventumError, invalidArgument, noopLogger } from '@eventum/core';
import type { Logger } from '@eventum/core';

import { ChatterConnection } from './chatter-connection.js';
import { checkInteger, resolveChatterOptions } from './chatter-options.js';
import type { ChatterOptions } from './chatter-options.js';
import { tlsConnectOptions } from './tls-options.js';
import type { ChatterTlsOptions } from './tls-options.js';

/** Where and how to connect a chatter connection. */
export interface ChatterConnectOptions extends ChatterOptions {
  /** Host name or address (default `'127.0.0.1'`). */
  readonly host?: string;
  readonly port: number;
  /** Connect with TLS (`true`: verify the server against Node's root CAs); default plain TCP. */
  readonly tls?: ChatterTlsOptions | boolean;
  /** Aborts the connection attempt (then `ERR_ABORTED`); no effect once connected. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** Default host of outgoing connections. */
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Opens a TCP connection (with `tls`, a TLS connection whose handshake has completed) and wraps
 * it in a {@link ChatterConnection}, which the caller owns and must close. Rejects with
 * `ERR_REFUSED` (the socket error as `cause`) when the connection cannot be established (refused,
 * unreachable, unknown host, TLS handshake or certificate verification failed), `ERR_ABORTED`
 * when `signal` aborts first, and `ERR_INVALID_ARGUMENT` for bad options (before any I/O).
 */
export async function connectChatter(options: ChatterConnectOptions): Promise<ChatterConnection> {
  const host = options.host ?? DEFAULT_HOST;
  checkInteger('port', options.port, 0, 65535);
  if (host === '') throw invalidArgument('host must not be empty');
  resolveChatterOptions(options);
  const tls = options.tls === undefined || options.tls === false ? null : options.tls;
  const connectOptions = tls === null ? null : tlsConnectOptions(host, options.port, tls);
  const socket = await openSocket(host, options.port, connectOptions, options.signal);
  const logger = options.logger ?? noopLogger;
  return ChatterConnection.fromSocket(socket, options, logger.child({ host, port: options.port }));
}

function openSocket(
  host: string,
  port: number,
  tls: ConnectionOptions | null,
  signal: AbortSignal | undefined,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortError(signal));
      return;
    }
    const socket = tls === null ? netConnect({ host, port }) : tlsConnect(tls);
    const onAbort = (): void => fail(abortError(signal as AbortSignal));
    const onError = (error: Error): void =>
      fail(
        new EventumError(ErrorCode.Refused, `cannot connect to ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    const settle = (): void => {
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: EventumError): void => {
      settle();
      socket.destroy();
      reject(error);
    };
    socket.once('error', onError);
    socket.once(tls === null ? 'connect' : 'secureConnect', () => {
      settle();
      resolve(socket);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): EventumError {
  return new EventumError(ErrorCode.Aborted, 'connect aborted', { cause: signal.reason });
}
