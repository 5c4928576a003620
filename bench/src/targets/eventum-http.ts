/**
 * eventum over its HTTP API (docs/http-api.md), next to the eventer rows of the same server: an
 * `eventum server` process on LMDB, registered to and read with `fetch` (Node's undici, keep-alive
 * connections) through `HttpClient` of `@eventum/client`, subscribed to with its WebSockets
 * (built on `ws`). Every request asks for what the eventer
 * target asks for: registrations wait for the registered events, reads decode every payload.
 */
import { HttpClient } from '@eventum/client';
import type { HttpSubscription, WebSocketFactory } from '@eventum/client';
import { WebSocket } from 'ws';

import { startServer } from '../server-process.js';
import type { ServerProcess } from '../server-process.js';
import { readAllPages, touchPayload } from './eventum-reads.js';
import type { Target } from './target.js';

/** Node 20 has no global WebSocket: the client gets one from `ws`. */
const webSocket: WebSocketFactory = (url, headers) => new WebSocket(url, { headers });

/** A target whose HTTP API listens on `httpPort`. */
export interface EventumHttpTarget extends Target {
  readonly httpPort: number;
}

/** Starts a server on LMDB and talks to its HTTP API; closing stops the server. */
export async function startEventumHttpTarget(): Promise<EventumHttpTarget> {
  const server = await startServer({ type: 'lmdb' });
  return eventumHttpTarget('eventum-lmdb-http', server.httpPort, server);
}

/** A client of the HTTP API of a server another process started (fan-out subscribers). */
export function attachEventumHttpTarget(name: string, httpPort: number): EventumHttpTarget {
  return eventumHttpTarget(name, httpPort, undefined);
}

function eventumHttpTarget(
  name: string,
  httpPort: number,
  server: ServerProcess | undefined,
): EventumHttpTarget {
  const client = new HttpClient({ url: `http://127.0.0.1:${httpPort}`, webSocket });
  const subscriptions = new Set<HttpSubscription>();
  return {
    name,
    httpPort,
    serverPids: () => Promise.resolve(server?.child.pid === undefined ? [] : [server.child.pid]),
    async registerBatch(events) {
      await client.register(events);
    },
    async registerOne(event) {
      await client.register([event]);
    },
    async latest(prefix) {
      const result = await client.query({ type: 'latest', eventTypes: [[prefix, '*']] });
      result.events.forEach(touchPayload);
      return result.events.length;
    },
    readAll(prefix, pageSize) {
      return readAllPages(client, prefix, pageSize);
    },
    async subscribe(prefix, onEvent) {
      const subscription = await client.subscribe([[prefix, '*']], (events) => {
        for (const event of events) if (event.payload?.type === 'json') onEvent(event.payload.data);
      });
      subscriptions.add(subscription);
      return () => {
        subscriptions.delete(subscription);
        subscription.close();
        return Promise.resolve();
      };
    },
    async close() {
      for (const subscription of subscriptions) subscription.close();
      await server?.stop();
    },
  };
}
