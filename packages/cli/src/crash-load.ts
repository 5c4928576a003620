/**
 * The crash check under load, shared by the regression tests (`durability.int.test.ts`) and the
 * bench-style run (`npm run bench:crash`): `eventum server` runs as a child process, clients
 * register over TCP with the real client while a persisted subscriber listens, the server is
 * killed with SIGKILL, restarted on the same storage, and what it stores is compared with what
 * was acknowledged and notified before the kill.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { connect, queryServerPages } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { Event, EventId } from '@eventum/core';

import { startServerProcess } from './testing.js';
import type { ServerProcess } from './testing.js';

/** One crash: the load before the kill and the server's storage. */
export interface CrashLoadOptions {
  /** Directory for the configuration file (the backend section names its own files). */
  readonly dir: string;
  /** The `backend` section of the server configuration. */
  readonly backend: Readonly<Record<string, unknown>>;
  /** Clients registering at once, each waiting for its answer before the next request. */
  readonly clients: number;
  /** Events per registration. */
  readonly batchSize: number;
  /** Time from the first registration to the SIGKILL. */
  readonly loadMs: number;
  /** Registrations (with answers) made on the restarted server, to see which ids it hands out. */
  readonly afterRestart?: number;
}

/** What the restarted server holds of what was promised before the kill. */
export interface CrashLoadResult {
  /** Events whose registration was answered before the kill. */
  readonly acknowledged: number;
  /** Events a persisted subscriber was notified of before the kill. */
  readonly persistedNotified: number;
  /** Acknowledged events the restarted server does not hold (with that id and payload). */
  readonly lostAcknowledged: number;
  /** Persisted-notified events the restarted server does not hold. */
  readonly lostPersisted: number;
  /** Ids acknowledged before the kill that the restarted server gave to another event. */
  readonly reusedIds: number;
  /** Events stored after the restart (server 1). */
  readonly stored: number;
}

const idText = (id: EventId): string => `${id.server}/${id.session}/${id.instance}`;
const payloadText = (event: Event): string => JSON.stringify(event.payload);

/** Runs one crash under load; the storage stays in place (the caller removes `dir`). */
export async function crashUnderLoad(options: CrashLoadOptions): Promise<CrashLoadResult> {
  const conf = join(options.dir, 'server.json');
  await writeFile(
    conf,
    JSON.stringify({
      server_id: 1,
      eventer_server: { host: '127.0.0.1', port: 0 },
      backend: options.backend,
      log: { level: 'info' },
    }),
  );
  const acknowledged = new Map<string, string>();
  const persisted = new Map<string, string>();
  const server = await startServerProcess(['--conf', conf]);
  try {
    await loadAndKill(server, options, acknowledged, persisted);
  } finally {
    server.child.kill('SIGKILL');
  }
  const restarted = await startServerProcess(['--conf', conf]);
  try {
    const client = await connect({ port: restarted.port, clientName: 'crash-check' });
    try {
      // Until the engine is operational, registrations fail (null): retry those.
      for (let i = 0; i < (options.afterRestart ?? 0);) {
        const answer = await client.register([loadEvent('after', i)], { withResponse: true });
        if (answer !== null) i++;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return compare(await storedEvents(client), acknowledged, persisted);
    } finally {
      await client.close();
    }
  } finally {
    await restarted.stop('SIGKILL');
  }
}

async function loadAndKill(
  server: ServerProcess,
  options: CrashLoadOptions,
  acknowledged: Map<string, string>,
  persisted: Map<string, string>,
): Promise<void> {
  const subscriber = await connect({
    port: server.port,
    clientName: 'crash-persisted',
    subscriptions: [['load', '*']],
    persisted: true,
    onEvents: (events) => {
      for (const event of events) persisted.set(idText(event.id), payloadText(event));
    },
  });
  const clients: EventerClient[] = [];
  try {
    for (let c = 0; c < options.clients; c++) {
      clients.push(await connect({ port: server.port, clientName: `crash-load-${c}` }));
    }
    const loops = clients.map((client, c) => registerLoop(client, c, options, acknowledged));
    await new Promise((resolve) => setTimeout(resolve, options.loadMs));
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    await Promise.all(loops);
  } finally {
    for (const client of [subscriber, ...clients]) await client.close().catch(() => undefined);
  }
}

/** Registers batches until the connection fails; records every acknowledged event. */
async function registerLoop(
  client: EventerClient,
  clientIndex: number,
  options: CrashLoadOptions,
  acknowledged: Map<string, string>,
): Promise<void> {
  for (let seq = 0; ; seq++) {
    const events = Array.from({ length: options.batchSize }, (_, i) =>
      loadEvent(`c${clientIndex}`, seq * options.batchSize + i),
    );
    let answer: readonly Event[] | null;
    try {
      answer = await client.register(events, { withResponse: true });
    } catch {
      return;
    }
    for (const event of answer ?? []) acknowledged.set(idText(event.id), payloadText(event));
  }
}

function loadEvent(client: string, seq: number) {
  return {
    type: ['load', client],
    payload: { type: 'json' as const, data: { client, seq } },
  };
}

async function storedEvents(client: EventerClient): Promise<Map<string, string>> {
  const stored = new Map<string, string>();
  // Everything from before the kill the restarted server holds was read from disk; the events
  // registered since may still wait for a flush, and count too (their ids matter).
  const params = { type: 'server' as const, serverId: 1 };
  for await (const page of queryServerPages(client, params)) {
    for (const event of page) stored.set(idText(event.id), payloadText(event));
  }
  return stored;
}

function compare(
  stored: ReadonlyMap<string, string>,
  acknowledged: ReadonlyMap<string, string>,
  persisted: ReadonlyMap<string, string>,
): CrashLoadResult {
  const missing = (expected: ReadonlyMap<string, string>): number =>
    [...expected].filter(([id, payload]) => stored.get(id) !== payload).length;
  const reusedIds = [...acknowledged].filter(([id, payload]) => {
    const now = stored.get(id);
    return now !== undefined && now !== payload;
  }).length;
  return {
    acknowledged: acknowledged.size,
    persistedNotified: persisted.size,
    lostAcknowledged: missing(acknowledged),
    lostPersisted: missing(persisted),
    reusedIds,
    stored: stored.size,
  };
}
