/**
 * NATS JetStream as a comparison target, used the way a Node application uses it: the official
 * `@nats-io/transport-node` and `@nats-io/jetstream` clients over loopback TCP, one file-backed
 * stream, one subject per event type.
 *
 * Choices, and why:
 * - The event type `['plant', 'p1', 'line', 's3']` is the subject `plant.p1.line.s3`, and the
 *   message body is the JSON text of the payload: the same payload bytes eventum carries. The
 *   source timestamp is not carried (JetStream stamps its own time and sequence on each message),
 *   which leaves a NATS message a few bytes lighter than an eventum event.
 * - `registerBatch` issues every publish at once and awaits all the PubAcks. The client's batch
 *   publish APIs need nats-server 2.12 or later (atomic batches; fast ingest needs 2.14), while
 *   concurrent publishes work on any server and pipeline over the one connection: that is how a
 *   Node user batches. Awaiting each publish in turn would measure round trips, not the store.
 * - Reads use ordered consumers, the client's recommended way to read a stream: an ephemeral,
 *   unacknowledged consumer the library recreates if a message goes missing. The consumer's
 *   `num_pending` at creation says how many messages there are, so a read asks for exactly that
 *   many and never waits out a fetch's expiry on its last page. Each read deletes its consumer
 *   rather than leave it to the server's 5-minute inactivity cleanup, so consumers left over
 *   from earlier reads do not weigh on the server's figures.
 * - `latest` is a consumer with deliver policy "last per subject", JetStream's newest message
 *   per subject (what its key-value buckets are built on).
 * - `subscribe` is an ordered consumer with deliver policy "new", consuming continuously.
 */
import { readdir, readFile } from 'node:fs/promises';

import type { RegisterEvent } from '@eventum/core';
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import type { Consumer, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

import { PIPELINED_BATCHES, TargetUnavailable } from './target.js';
import type { Target } from './target.js';

export interface NatsTargetOptions {
  readonly url: string;
  /** Create a fresh stream (and delete it on close), or attach to the one an owner created. */
  readonly create: boolean;
  /** @default 'EVENTUM_BENCH' */
  readonly stream?: string;
}

const NAME = 'nats-jetstream';
/** The first segments the workloads use; JetStream will not take `>` for a whole stream. */
const PREFIXES = ['plant', 'latest', 'fanout'];
const CONNECT_TIMEOUT_MS = 2_000;
/** JetStream API requests and PubAcks. Generous: the acks of a large batch queue behind each
 * other, and the client's default would be the 2-second connect timeout. */
const REQUEST_TIMEOUT_MS = 30_000;
/** How long one fetch waits for messages the consumer said were there. */
const FETCH_EXPIRES_MS = 10_000;
const CLOSE_TIMEOUT_MS = 10_000;

/** `['plant', 'p1', 'line', 's3']` → `plant.p1.line.s3`. */
export function subjectOf(type: readonly string[]): string {
  return type.join('.');
}

function bodyOf(event: RegisterEvent): string {
  if (event.payload?.type !== 'json') throw new Error(`${NAME}: only JSON payloads are carried`);
  return JSON.stringify(event.payload.data);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${NAME}: ${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads what `consumer` had pending when it was created, `pageSize` per fetch (all at once by
 * default), decoding each body; resolves to how many were read, and deletes the consumer. */
async function readPending(consumer: Consumer, pageSize?: number): Promise<number> {
  try {
    const total = (await consumer.info(true)).num_pending;
    let read = 0;
    while (read < total) {
      const max_messages = Math.min(pageSize ?? total, total - read);
      const page = await consumer.fetch({ max_messages, expires: FETCH_EXPIRES_MS });
      let got = 0;
      for await (const message of page) {
        message.json<unknown>();
        got++;
      }
      // A fetch that expired empty-handed would otherwise loop forever.
      if (got === 0) throw new Error(`${NAME}: no messages with ${total - read} still pending`);
      read += got;
    }
    return read;
  } finally {
    await consumer.delete();
  }
}

async function deleteStream(jsm: JetStreamManager, stream: string): Promise<void> {
  try {
    await jsm.streams.delete(stream);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
      throw error;
  }
}

/** Pids of running `nats-server` processes, found through /proc (none if it runs elsewhere). */
async function natsServerPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // A process may exit between the listing and the read.
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'nats-server') pids.push(Number(entry));
  }
  return pids;
}

async function connectOrUnavailable(url: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, timeout: CONNECT_TIMEOUT_MS, name: 'eventum-bench' });
  } catch (error) {
    throw new TargetUnavailable(NAME, error instanceof Error ? error.message : String(error));
  }
}

export async function openNatsTarget(options: NatsTargetOptions): Promise<Target> {
  const stream = options.stream ?? 'EVENTUM_BENCH';
  const nc = await connectOrUnavailable(options.url);
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc, { timeout: REQUEST_TIMEOUT_MS });
    if (options.create) {
      await deleteStream(jsm, stream);
      await jsm.streams.add({
        name: stream,
        subjects: PREFIXES.map((prefix) => `${prefix}.>`),
        storage: StorageType.File,
      });
    }
  } catch (error) {
    await nc.close();
    // A server without JetStream is as good as absent for this target. The client's error class
    // for it is not exported, hence the check by name.
    if (error instanceof Error && error.name === 'JetStreamNotEnabled')
      throw new TargetUnavailable(NAME, error.message);
    throw error;
  }
  const js = jetstream(nc, { timeout: REQUEST_TIMEOUT_MS });
  const subscriptions = new Set<() => Promise<void>>();

  return {
    // JetStream's own count of the stream's stored bytes (messages with their subjects and
    // headers, as its file store keeps them).
    storedBytes: async () => (await jsm.streams.info(stream)).state.bytes,
    name: NAME,
    serverPids: natsServerPids,
    // Publishes of several batches pipeline on the one connection as those of one batch do.
    batchesInFlight: PIPELINED_BATCHES,
    async registerBatch(events) {
      await Promise.all(events.map((event) => js.publish(subjectOf(event.type), bodyOf(event))));
    },
    async registerOne(event) {
      await js.publish(subjectOf(event.type), bodyOf(event));
    },
    async latest(prefix) {
      const consumer = await js.consumers.get(stream, {
        filter_subjects: `${prefix}.>`,
        deliver_policy: DeliverPolicy.LastPerSubject,
      });
      return readPending(consumer);
    },
    async readAll(prefix, pageSize) {
      const consumer = await js.consumers.get(stream, {
        filter_subjects: `${prefix}.>`,
        deliver_policy: DeliverPolicy.All,
      });
      return readPending(consumer, pageSize);
    },
    async subscribe(prefix, onEvent) {
      // The consumer exists on the server once `get` resolves, starting after the stream's
      // last message: anything published from then on reaches it.
      const consumer = await js.consumers.get(stream, {
        filter_subjects: `${prefix}.>`,
        deliver_policy: DeliverPolicy.New,
      });
      const messages = await consumer.consume({ callback: (message) => onEvent(message.json()) });
      const stop = async (): Promise<void> => {
        subscriptions.delete(stop);
        await withTimeout(messages.close(), CLOSE_TIMEOUT_MS, 'stopping a subscription');
        await consumer.delete();
      };
      subscriptions.add(stop);
      return stop;
    },
    async close() {
      try {
        for (const stop of [...subscriptions]) await stop();
        if (options.create) await deleteStream(jsm, stream);
      } finally {
        // Draining lets in-flight acks and deliveries finish; closing is the fallback if it stalls.
        await withTimeout(nc.drain(), CLOSE_TIMEOUT_MS, 'drain').catch(() => nc.close());
      }
    },
  };
}
