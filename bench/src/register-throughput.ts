/**
 * Register throughput with many concurrent clients: every client registers in a loop, each
 * waiting for its answer, against an `eventum server` process; events acknowledged during the
 * measured span (after a warm-up second) are counted. Used by the durability run (`crash.ts`)
 * to compare the `buffered` and `committed` modes of a backend on the same load.
 */
import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';

import { startServer } from './server-process.js';
import { workloadEvents } from './workload.js';

export interface ThroughputOptions {
  /** The backend section, `type` and `durability` included (files go to a temp dir). */
  readonly backend: Readonly<Record<string, unknown>>;
  readonly name: string;
  readonly clients: number;
  readonly batchSize: number;
  readonly measureMs: number;
}

export interface ThroughputResult {
  readonly backend: string;
  readonly durability: string;
  readonly load: string;
  readonly clients: number;
  readonly batchSize: number;
  /** Events acknowledged per second over the measured span. */
  readonly eventsPerSecond: number;
}

const WARM_UP_MS = 1000;

/** Starts a server, loads it from `clients` connections, stops it; see the file header. */
export async function measureRegisterThroughput(
  options: ThroughputOptions,
): Promise<ThroughputResult> {
  const server = await startServer({ ...options.backend });
  const clients: EventerClient[] = [];
  try {
    for (let c = 0; c < options.clients; c++) {
      clients.push(await connect({ port: server.port, clientName: `throughput-${c}` }));
    }
    const start = Date.now() + WARM_UP_MS;
    const end = start + options.measureMs;
    const counts = await Promise.all(
      clients.map((client, c) => registerUntil(client, c, options.batchSize, start, end)),
    );
    const total = counts.reduce((sum, n) => sum + n, 0);
    return {
      backend: textField(options.backend, 'type', ''),
      durability: textField(options.backend, 'durability', 'buffered'),
      load: options.name,
      clients: options.clients,
      batchSize: options.batchSize,
      eventsPerSecond: Math.round((total * 1000) / options.measureMs),
    };
  } finally {
    for (const client of clients) await client.close();
    await server.stop();
  }
}

function textField(section: Readonly<Record<string, unknown>>, key: string, fallback: string) {
  const value = section[key];
  return typeof value === 'string' ? value : fallback;
}

/** Registers batches until `end`; returns the events acknowledged within `[start, end)`. */
async function registerUntil(
  client: EventerClient,
  clientIndex: number,
  batchSize: number,
  start: number,
  end: number,
): Promise<number> {
  let counted = 0;
  for (let seq = 0; ; seq++) {
    const events = workloadEvents((clientIndex * 1_000_000 + seq) * batchSize, batchSize);
    const answer = await client.register(events, { withResponse: true });
    const now = Date.now();
    if (now >= end) return counted;
    if (answer !== null && now >= start) counted += answer.length;
  }
}
