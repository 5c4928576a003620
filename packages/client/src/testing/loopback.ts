import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

import { ChatterConnection } from '../chatter-connection.js';
import type { ChatterOptions } from '../chatter-options.js';
import { connectChatter } from '../connect-chatter.js';

/*
 * Test helpers (not part of the public API): loopback servers on 127.0.0.1, port 0.
 */

/** A listening TCP server that hands every accepted socket to `onSocket`. */
export interface RawServer {
  readonly port: number;
  /** Sockets accepted so far, in order. */
  readonly sockets: readonly Socket[];
  /** Resolves with the n-th (0-based) accepted socket. */
  accepted(index?: number): Promise<Socket>;
  /** Destroys every accepted socket and stops listening. */
  close(): Promise<void>;
}

export async function listenRaw(onSocket: (socket: Socket) => void = () => {}): Promise<RawServer> {
  const sockets: Socket[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((socket) => {
    socket.on('error', () => {}); // tests observe closes, not errors of raw peers
    sockets.push(socket);
    onSocket(socket);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const accepted = async (index = 0): Promise<Socket> => {
    while (sockets[index] === undefined) await new Promise<void>((r) => waiters.push(r));
    return sockets[index];
  };
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, sockets, accepted, close };
}

/** Two chatter connections over loopback, and a `close` that closes both and the listener. */
export interface ChatterPair {
  readonly client: ChatterConnection;
  readonly server: ChatterConnection;
  close(): Promise<void>;
}

export async function chatterPair(
  clientOptions: ChatterOptions = {},
  serverOptions: ChatterOptions = {},
): Promise<ChatterPair> {
  const listener = await listenRaw();
  const client = await connectChatter({ ...clientOptions, port: listener.port });
  const server = ChatterConnection.fromSocket(await listener.accepted(), serverOptions);
  const close = async (): Promise<void> => {
    await Promise.all([client.close(), server.close()]);
    await listener.close();
  };
  return { client, server, close };
}

/** Resolves after `ms` milliseconds (to let I/O happen; never to assert timing). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
