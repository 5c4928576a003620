/**
 * eventum over its HTTP API (docs/http-api.md), next to the eventer rows of the same server: an
 * `eventum server` process on LMDB, registered to and read with `fetch` (Node's undici, keep-alive
 * connections), subscribed to with WebSockets (`ws`). Every request asks for what the eventer
 * target asks for: registrations wait for the registered events, reads decode every payload.
 */
import type { RegisterEvent } from '@eventum/core';
import { WebSocket } from 'ws';

import { startServer } from '../server-process.js';
import type { ServerProcess } from '../server-process.js';
import type { Target } from './target.js';

/** A register event as the API's JSON. */
function apiEvent(event: RegisterEvent): Record<string, unknown> {
  const payload = event.payload ?? null;
  return {
    type: event.type,
    source_timestamp: event.sourceTimestamp ?? null,
    payload:
      payload === null
        ? null
        : payload.type === 'json'
          ? { data_type: 'json', data: payload.data }
          : {
              data_type: 'binary',
              binary_type: payload.binaryType,
              data: Buffer.from(payload.data).toString('base64'),
            },
  };
}

type ApiEvent = { payload: { data_type: string; data: unknown } | null };

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
  const base = `http://127.0.0.1:${httpPort}`;
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const value = await response.json();
    if (!response.ok) throw new Error(`${name}: ${path} answered ${JSON.stringify(value)}`);
    return value;
  };
  const sockets = new Set<WebSocket>();
  return {
    name,
    httpPort,
    serverPids: () => Promise.resolve(server?.child.pid === undefined ? [] : [server.child.pid]),
    async registerBatch(events) {
      await post('/api/register', { events: events.map(apiEvent) });
    },
    async registerOne(event) {
      await post('/api/register', { events: [apiEvent(event)] });
    },
    async latest(prefix) {
      const page = (await post('/api/query', { type: 'latest', event_types: [[prefix, '*']] })) as {
        events: ApiEvent[];
      };
      return page.events.length;
    },
    async readAll(prefix, pageSize) {
      let count = 0;
      let body: unknown = {
        type: 'timeseries',
        event_types: [[prefix, '*']],
        order: 'ascending',
        max_results: pageSize,
      };
      while (body !== null) {
        const page = (await post('/api/query', body)) as { events: ApiEvent[]; next: unknown };
        for (const event of page.events) {
          if (event.payload?.data_type === 'json' && event.payload.data === undefined)
            throw new Error('event without payload data');
        }
        count += page.events.length;
        body = page.next;
      }
      return count;
    },
    async subscribe(prefix, onEvent) {
      const socket = new WebSocket(`ws://127.0.0.1:${httpPort}/api/live?types=${prefix}/*`);
      sockets.add(socket);
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { type: string; events?: ApiEvent[] };
        for (const event of message.events ?? []) {
          if (event.payload?.data_type === 'json') onEvent(event.payload.data);
        }
      });
      // Live once the server confirmed the subscription.
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      return () => {
        sockets.delete(socket);
        socket.close();
        return Promise.resolve();
      };
    },
    async close() {
      for (const socket of sockets) socket.close();
      await server?.stop();
    },
  };
}
