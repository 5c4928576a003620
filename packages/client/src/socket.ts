import type { Socket } from 'node:net';

import { ClosedError } from '@eventum/core';

/** Both ends of a TCP connection. Empty strings / 0 when the socket did not know them. */
export interface SocketInfo {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** Reads the addresses of a connected socket (they are gone once it is destroyed). */
export function socketInfo(socket: Socket): SocketInfo {
  return {
    localAddress: socket.localAddress ?? '',
    localPort: socket.localPort ?? 0,
    remoteAddress: socket.remoteAddress ?? '',
    remotePort: socket.remotePort ?? 0,
  };
}

/**
 * Closes `socket` and resolves once it is closed. With `graceMs > 0` it is ended (pending bytes
 * are flushed, the peer sees an orderly FIN) and destroyed if still open after `graceMs`; with 0
 * it is destroyed at once. Never rejects.
 */
export function closeSocket(socket: Socket, graceMs: number): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = graceMs > 0 ? setTimeout(() => socket.destroy(), graceMs) : null;
    socket.once('close', () => {
      if (timer !== null) clearTimeout(timer);
      resolve();
    });
    if (timer === null) socket.destroy();
    else socket.end();
  });
}

/** The reason a connection closes on a socket error (e.g. ECONNRESET): `ERR_CLOSED`, the socket
 * error as `cause`. */
export function socketError(error: Error): ClosedError {
  return new ClosedError(`chatter connection failed: ${error.message}`, { cause: error });
}
