/**
 * The two sides of the bus benchmark, on the same nats-server: eventum's NATS bus
 * (`@eventum/bus-nats`: envelope, headers, bounded buffers) and raw nats.js (the same payload as
 * bare JSON, no headers, the client's own unbounded iterator). Each side uses one connection to
 * publish and another to subscribe, as two services would.
 */
import { createNatsBus } from '@eventum/bus-nats';
import { connect } from '@nats-io/transport-node';

/** One side: publish a payload, receive them in order, close. */
export interface BusPeer {
  readonly name: string;
  publish(subject: string, payload: Record<string, unknown>): void;
  /** Starts a subscription calling `onMessage` with each payload; resolves once registered. */
  subscribe(subject: string, onMessage: (payload: Record<string, unknown>) => void): Promise<void>;
  /** Resolves once every publish so far reached the server. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function eventumBusPeer(servers: string): Promise<BusPeer> {
  const publisher = await createNatsBus({ servers });
  const subscriber = await createNatsBus({ servers });
  return {
    name: 'eventum-bus-nats',
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

export async function rawNatsPeer(servers: string): Promise<BusPeer> {
  const publisher = await connect({ servers });
  const subscriber = await connect({ servers });
  return {
    name: 'nats-raw',
    publish: (subject, payload) => publisher.publish(subject, JSON.stringify(payload)),
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
