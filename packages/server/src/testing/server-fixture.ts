// Helpers for the server's tests: a server on the memory backend on a free port, and a raw
// eventer peer speaking the wire protocol message by message.
import { connectChatter } from '@eventum/client';
import type { ChatterConnection, ReceivedMessage } from '@eventum/client';
import { createMemoryBackend, decodeEventerMsg } from '@eventum/core';
import type { EventType, EventerMsg, MsgInitReq } from '@eventum/core';

import { createServer } from '../server.js';
import type { Server, ServerOptions } from '../server.js';

export async function startServer(options: Partial<ServerOptions> = {}): Promise<Server> {
  const server = await createServer({
    serverId: 1,
    serverToken: null,
    host: '127.0.0.1',
    port: 0,
    createBackend: (context) => createMemoryBackend({}, context),
    ...options,
  });
  await waitForStatus(server, 'operational');
  return server;
}

export async function waitForStatus(server: Server, status: string): Promise<void> {
  for (let i = 0; i < 500 && server.status !== status; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (server.status !== status) throw new Error(`server never reached ${status}`);
}

/** A peer that speaks the eventer protocol through a bare chatter connection. */
export interface RawPeer {
  readonly chatter: ChatterConnection;
  /** The next message, decoded. */
  next(): Promise<{ message: ReceivedMessage; msg: EventerMsg }>;
  /** The next message of the given type, skipping others (e.g. notifications). */
  nextOf(type: EventerMsg['type']): Promise<{ message: ReceivedMessage; msg: EventerMsg }>;
}

export async function rawPeer(server: Server): Promise<RawPeer> {
  const chatter = await connectChatter({ port: server.address.port });
  const next = async (): Promise<{ message: ReceivedMessage; msg: EventerMsg }> => {
    const message = await chatter.receive();
    return { message, msg: decodeEventerMsg(message.data.type, message.data.data) };
  };
  return {
    chatter,
    next,
    async nextOf(type) {
      for (;;) {
        const received = await next();
        if (received.msg.type === type) return received;
      }
    },
  };
}

/** Connects a raw peer and completes the init handshake; returns the init response too. */
export async function initPeer(
  server: Server,
  init: Partial<MsgInitReq> = {},
): Promise<{ peer: RawPeer; response: EventerMsg }> {
  const peer = await rawPeer(server);
  peer.chatter.sendEventer(
    {
      type: 'HatEventer.MsgInitReq',
      data: {
        clientName: 'test',
        clientToken: null,
        subscriptions: [] as EventType[],
        serverId: null,
        persisted: false,
        ...init,
      },
    },
    { last: false },
  );
  const { msg } = await peer.next();
  return { peer, response: msg };
}
