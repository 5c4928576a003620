import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import type { TlsOptions } from 'node:tls';

import { ErrorCode, EventumError, toError } from '@eventum/core';
import type { Logger } from '@eventum/core';

import type { LogLimiter } from './log-limiter.js';

/** PEM text (or its bytes). */
export type Pem = string | Uint8Array;

/** A TLS handshake not finished within this long is dropped (and logged). */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** TLS of the eventer port. */
export interface EventerTlsOptions {
  /** The server's certificate chain (PEM), leaf first. */
  readonly cert: Pem;
  /** The certificate's private key (PEM, unencrypted). */
  readonly key: Pem;
  /** CA certificates client certificates must chain to (needed with `verifyClients`). */
  readonly ca?: Pem;
  /** Require every client to present a certificate signed by `ca` (mutual TLS); default false. */
  readonly verifyClients?: boolean;
  /** Default {@link TLS_HANDSHAKE_TIMEOUT_MS}. */
  readonly handshakeTimeoutMs?: number;
}

/**
 * The listening socket of the eventer server: plain TCP, or TLS when `tls` is given (then
 * `onSocket` receives sockets whose handshake completed; failed and unfinished handshakes are
 * logged through `limiter` and never reach it). Throws `ERR_CONFIG` when the certificate, key or
 * CA cannot be used (malformed PEM, a key that does not match the certificate).
 */
export function createListener(
  tls: EventerTlsOptions | undefined,
  onSocket: (socket: Socket) => void,
  logger: Logger,
  limiter: LogLimiter,
): NetServer {
  if (tls === undefined) return createNetServer(onSocket);
  const options = tlsServerOptions(tls);
  const server = createTlsServer(options, onSocket);
  server.on('tlsClientError', (error, socket) => {
    const code = (error as { code?: unknown }).code;
    const kind = `tls:${typeof code === 'string' ? code : 'ERR_UNKNOWN'}`;
    limiter.log(logger, 'warn', kind, 'TLS handshake failed', {
      peer: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
      code,
      reason: error.message,
    });
    // Node leaves the socket open after some of these (a handshake time-out): close it here.
    socket.destroy();
  });
  return server;
}

function tlsServerOptions(tls: EventerTlsOptions): TlsOptions {
  const verifyClients = tls.verifyClients ?? false;
  if (verifyClients && tls.ca === undefined) {
    throw new EventumError(ErrorCode.Config, 'TLS: verifying clients needs a CA (ca_path)');
  }
  const options: TlsOptions = {
    cert: toPem(tls.cert),
    key: toPem(tls.key),
    ...(tls.ca === undefined ? {} : { ca: toPem(tls.ca) }),
    requestCert: verifyClients,
    rejectUnauthorized: verifyClients,
    handshakeTimeout: tls.handshakeTimeoutMs ?? TLS_HANDSHAKE_TIMEOUT_MS,
  };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new EventumError(
      ErrorCode.Config,
      `TLS: unusable certificate, key or CA: ${toError(error).message}`,
      { cause: error },
    );
  }
  return options;
}

function toPem(pem: Pem): string | Buffer {
  return typeof pem === 'string' ? pem : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength);
}
