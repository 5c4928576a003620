/**
 * A system the comparison scenarios measure: eventum on one of its backends, or a peer (raw
 * lmdb, NATS JetStream, PostgreSQL) doing the same work the way its own users would. Every target
 * gets the same events (`workload.ts`) and answers the same questions, so the figures sit side by
 * side in one table.
 *
 * Event types are eventum's (`['plant', 'p1', 'line', 's3']`); a peer maps them to its own naming
 * (a NATS subject `plant.p1.line.s3`, a `type` column `plant/p1/line/s3`). A prefix names the
 * first segment: `readAll('plant', …)` reads every `plant/...` event.
 */
import type { RegisterEvent } from '@eventum/core';

export interface Target {
  /** Short name used in results: `eventum-lmdb`, `lmdb-raw`, `nats-jetstream`, `postgres`. */
  readonly name: string;
  /** Server processes whose CPU time and peak memory the scenarios report: none for an
   * embedded store, whose work is done in the benchmark's own process. */
  serverPids(): Promise<number[]>;
  /** Stores the events and resolves once the store has acknowledged all of them, the way a
   * careful user waits (eventum: register with response; NATS: every publish ack; PostgreSQL:
   * the insert's commit). */
  registerBatch(events: readonly RegisterEvent[]): Promise<void>;
  /** How many `registerBatch` calls the `register-batch-pipelined` row keeps in flight. Set
   * where the target's own client pipelines requests on its one connection (eventum's eventer
   * client, nats.js) or batches concurrent transactions (lmdb-js); absent, no such row (one
   * PostgreSQL connection runs one statement at a time, an HTTP request needs a connection). */
  readonly batchesInFlight?: number;
  /** One event, acknowledged as above. */
  registerOne(event: RegisterEvent): Promise<void>;
  /** The newest event of every type under `prefix`; resolves to how many types were returned.
   * Absent where the store has no such query (raw lmdb). */
  latest?(prefix: string): Promise<number>;
  /** Reads every stored event under `prefix` oldest first, `pageSize` per request, each event's
   * payload decoded; resolves to how many were read. */
  readAll(prefix: string, pageSize: number): Promise<number>;
  /** Calls `onEvent` with the JSON payload of every new event under `prefix`; resolves once the
   * subscription is live, to a function that ends it. Absent where there is no push delivery. */
  subscribe?(prefix: string, onEvent: (data: unknown) => void): Promise<() => Promise<void>>;
  /** Bytes the store occupies on disk once what was registered so far is written: its files,
   * its tables with their indexes, its stream. Absent, or `undefined`, where nothing is stored
   * (eventum's memory backend, an attached client). */
  storedBytes?(): Promise<number | undefined>;
  /** Ends the connection and removes what the target created (stream, table, files). */
  close(): Promise<void>;
}

/** `batchesInFlight` of the targets whose client pipelines batches (bench/README.md). */
export const PIPELINED_BATCHES = 4;

/** Registers `batches` in order, keeping up to `window` of them in flight; resolves once all
 * are acknowledged. */
export async function registerWindowed(
  target: Target,
  batches: readonly RegisterEvent[][],
  window: number,
): Promise<void> {
  const inFlight: Promise<void>[] = [];
  for (const events of batches) {
    const registered = target.registerBatch(events);
    // Awaited below; a failure while an earlier batch is awaited must not go unhandled first.
    registered.catch(() => undefined);
    inFlight.push(registered);
    if (inFlight.length >= window) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/** Thrown when a peer is not reachable: the runner reports the scenario as skipped, not zero. */
export class TargetUnavailable extends Error {
  constructor(target: string, reason: string) {
    super(`${target} not reachable: ${reason}`);
    this.name = 'TargetUnavailable';
  }
}
