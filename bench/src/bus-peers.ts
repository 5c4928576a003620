/**
 * The two sides of the bus benchmark, on the same nats-server: eventum's NATS bus
 * (`@eventum/bus-nats`: envelope, bounded buffers) and raw nats.js (the same payload as
 * bare JSON, no headers, the client's own unbounded iterator). Each side uses one connection to
 * publish and another to subscribe, as two services would.
 */
import { createJetStreamBus, createNatsBus } from '@eventum/bus-nats';
import type { Bus } from '@eventum/core';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/** One side: publish a payload, receive them in order, close. */
export interface BusPeer {
  readonly name: string;
  /** Subjects of this peer's rounds go under it (`bench.bus` unless a stream captures them). */
  readonly root?: string;
  publish(subject: string, payload: Record<string, unknown>): void;
  /** Starts a subscription calling `onMessage` with each payload; resolves once registered. */
  subscribe(subject: string, onMessage: (payload: Record<string, unknown>) => void): Promise<void>;
  /** Resolves once every publish so far reached the server. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function eventumBusPeer(servers: string): Promise<BusPeer> {
  return busPeer(
    'eventum-bus-nats',
    await createNatsBus({ servers }),
    await createNatsBus({ servers }),
  );
}

/** Subjects of the JetStream rounds, captured by {@link benchStream} (memory storage). */
export const jetStreamRoot = `bench.busjs.${process.pid}`;
const benchStream = { name: `BENCH_BUS_${process.pid}`, subjects: [`${jetStreamRoot}.>`] };

/** eventum's JetStream bus: acknowledged publishes, an ordered consumer per subscription. */
export async function eventumJetStreamPeer(servers: string): Promise<BusPeer> {
  const options = { servers, stream: { ...benchStream, storage: 'memory' as const } };
  const peer = busPeer(
    'eventum-bus-jetstream',
    await createJetStreamBus(options),
    await createJetStreamBus(options),
  );
  return { ...peer, root: jetStreamRoot };
}

function busPeer(name: string, publisher: Bus, subscriber: Bus): BusPeer {
  return {
    name,
    publish: (subject, payload) => publisher.publish(subject, payload as never, { type: 'bench' }),
    async subscribe(subject, onMessage) {
      const subscription = subscriber.subscribe(subject, { bufferSize: 65_536 });
      void (async () => {
        for await (const event of subscription) onMessage(event.payload);
      })();
      await subscription.ready;
    },
    flush: () => publisher.flush(),
    async close() {
      await publisher.close();
      await subscriber.close();
    },
  };
}

/** Raw nats.js as its documentation shows it: the payload's JSON text handed over as a string. */
export async function rawNatsPeer(servers: string): Promise<BusPeer> {
  return rawPeer(servers, 'nats-raw', (payload) => JSON.stringify(payload));
}

/**
 * Raw nats.js handed the JSON's bytes (`Buffer.from`) instead of the string: nats.js encodes a
 * string with `TextEncoder.encode`, slow on Node 20, and eventum's bus hands it bytes, so this
 * is the raw side without that cost.
 */
export async function rawBytesPeer(servers: string): Promise<BusPeer> {
  return rawPeer(servers, 'nats-raw-bytes', (payload) => Buffer.from(JSON.stringify(payload)));
}

async function rawPeer(
  servers: string,
  name: string,
  encode: (payload: Record<string, unknown>) => string | Uint8Array,
): Promise<BusPeer> {
  const publisher = await connect({ servers });
  const subscriber = await connect({ servers });
  return {
    name,
    publish: (subject, payload) => publisher.publish(subject, encode(payload)),
    async subscribe(subject, onMessage) {
      const subscription = subscriber.subscribe(subject);
      void (async () => {
        for await (const msg of subscription) onMessage(msg.json<Record<string, unknown>>());
      })();
      await subscriber.flush();
    },
    flush: () => publisher.flush(),
    async close() {
      await publisher.drain();
      await subscriber.drain();
    },
  };
}

/**
 * Raw nats.js carrying what eventum's bus carries: the same envelope body (wire version 2, no
 * headers), built by hand as a string, decoded with `msg.json()`. Separates the cost of the wire format from
 * the cost of eventum's code.
 */
export async function rawEnvelopePeer(servers: string): Promise<BusPeer> {
  const raw = await rawNatsPeer(servers);
  const publisher = await connect({ servers });
  return {
    ...raw,
    name: 'nats-raw-envelope',
    publish(subject, payload) {
      const id = crypto.randomUUID().replaceAll('-', '');
      const ms = Date.now();
      publisher.publish(subject, JSON.stringify({ v: 2, id, type: 'bench', ms, payload }));
    },
    async subscribe(subject, onMessage) {
      await raw.subscribe(subject, (envelope) =>
        onMessage(envelope['payload'] as Record<string, unknown>),
      );
    },
    flush: () => publisher.flush(),
    async close() {
      await publisher.drain();
      await raw.close();
    },
  };
}

/**
 * Raw `@nats-io/jetstream` on the same stream: `js.publish` (acknowledged; the acks are awaited
 * by `flush()`, as eventum's bus does) of the bare payload JSON, and an ordered consumer pulling
 * up to 65,536 messages ahead (eventum's side gets the same buffer size), `msg.json()`.
 */
export async function rawJetStreamPeer(servers: string): Promise<BusPeer> {
  const publisher = await connect({ servers });
  const subscriber = await connect({ servers });
  const jsm = await jetstreamManager(publisher);
  await jsm.streams.add({ ...benchStream, storage: StorageType.Memory }).catch(() => undefined);
  const js = jetstream(publisher);
  const acks = new Set<Promise<unknown>>();
  return {
    name: 'jetstream-raw',
    root: jetStreamRoot,
    publish(subject, payload) {
      const ack = js.publish(subject, JSON.stringify(payload)).catch(() => undefined);
      acks.add(ack);
      void ack.finally(() => acks.delete(ack));
    },
    async subscribe(subject, onMessage) {
      const consumer = await jetstream(subscriber).consumers.get(benchStream.name, {
        filter_subjects: subject,
      });
      const messages = await consumer.consume({ max_messages: 65_536 });
      void (async () => {
        for await (const msg of messages) onMessage(msg.json<Record<string, unknown>>());
      })();
    },
    async flush() {
      await Promise.all([...acks]);
    },
    async close() {
      await Promise.all([...acks]);
      await jsm.streams.delete(benchStream.name).catch(() => undefined);
      await publisher.drain();
      await subscriber.drain();
    },
  };
}
