/**
 * eventum as a comparison target: an `eventum server` process on one backend, driven through
 * `@eventum/client` over loopback TCP (or TLS), the way an application uses it.
 */
import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { RegisterEvent } from '@eventum/core';

import { benchSchema, startServer } from '../server-process.js';
import { readAllPages, touchPayload } from './eventum-reads.js';
import { pgUrl } from './pg-url.js';
import type { ServerProcess } from '../server-process.js';
import { PIPELINED_BATCHES } from './target.js';
import type { Target } from './target.js';

export type EventumBackend = 'lmdb' | 'textlog' | 'memory' | 'postgres';

/** A target whose server listens on `port`, where other processes can connect too. */
export interface EventumTarget extends Target {
  readonly port: number;
  /** The HTTP API's port of the same server (0 for an attached target). */
  readonly httpPort: number;
}

/** Starts a server on `backend` (serving TLS with `tls`) and connects to it; closing stops the
 * server. */
export async function startEventumTarget(
  backend: EventumBackend,
  { tls = false, name }: { tls?: boolean; name?: string } = {},
): Promise<EventumTarget> {
  const server = await startServer(backendSection(backend), { tls });
  try {
    return await eventumTarget(
      name ?? `eventum-${backend}${tls ? '-tls' : ''}`,
      server.port,
      server,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The backend section of a target's server: defaults, or a fresh PostgreSQL schema (dropped
 * when the server stops). */
function backendSection(backend: EventumBackend): Record<string, unknown> {
  if (backend !== 'postgres') return { type: backend };
  return { type: 'postgres', url: pgUrl(), schema: benchSchema() };
}

/** A client of a server another process started (the fan-out subscribers). */
export function attachEventumTarget(name: string, port: number): Promise<Target> {
  return eventumTarget(name, port, undefined);
}

async function eventumTarget(
  name: string,
  port: number,
  server: ServerProcess | undefined,
): Promise<EventumTarget> {
  const tls = server?.ca === undefined ? {} : { tls: { ca: server.ca } };
  const client = await connect({ port, clientName: 'bench', ...tls });
  const subscribers = new Set<EventerClient>();
  return {
    name,
    port,
    // The eventer client pipelines requests on its connection (packages/client/README.md).
    batchesInFlight: PIPELINED_BATCHES,
    httpPort: server?.httpPort ?? 0,
    serverPids: () => Promise.resolve(server?.child.pid === undefined ? [] : [server.child.pid]),
    async registerBatch(events: readonly RegisterEvent[]) {
      if ((await client.register(events, { withResponse: true })) === null)
        throw new Error(`${name}: register failed`);
    },
    async registerOne(event: RegisterEvent) {
      if ((await client.register([event], { withResponse: true })) === null)
        throw new Error(`${name}: register failed`);
    },
    async latest(prefix: string) {
      const result = await client.query({ type: 'latest', eventTypes: [[prefix, '*']] });
      result.events.forEach(touchPayload);
      return result.events.length;
    },
    readAll(prefix: string, pageSize: number) {
      return readAllPages(client, prefix, pageSize);
    },
    storedBytes: () => server?.storedBytes() ?? Promise.resolve(undefined),
    async subscribe(prefix: string, onEvent: (data: unknown) => void) {
      const subscriber = await connect({
        port,
        ...tls,
        clientName: 'bench-subscriber',
        subscriptions: [[prefix, '*']],
        onEvents(events) {
          for (const event of events)
            if (event.payload?.type === 'json') onEvent(event.payload.data);
        },
      });
      subscribers.add(subscriber);
      return async () => {
        subscribers.delete(subscriber);
        await subscriber.close();
      };
    },
    async close() {
      await Promise.all([...subscribers].map((s) => s.close()));
      await client.close();
      await server?.stop();
    },
  };
}
