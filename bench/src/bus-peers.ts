/**
 * The two sides of the bus benchmark, on the same nats-server: eventum's NATS bus
 * (`@eventum/bus-nats`: envelope, headers, bounded buffers) and raw nats.js (the same payload as
 * bare JSON, no headers, the client's own unbounded iterator). Each side uses one connection to
 * publish and another to subscribe, as two services would.
 */
import { createNatsBus } from '@eventum/bus-nats';
import { connect, headers } from '@nats-io/transport-node';

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

/**
 * Raw nats.js carrying what eventum's bus carries: the same envelope body and the same five
 * headers, built by hand, decoded with `msg.json()`. Separates the cost of the wire format from
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
      const ts = Date.now() / 1000;
      const h = headers();
      h.set('Nats-Msg-Id', id);
      h.set('Eventum-V', '1');
      h.set('Eventum-Ts', String(ts));
      h.set('Eventum-Type', 'bench');
      const body = JSON.stringify({ v: 1, id, topic: subject, type: 'bench', ts, payload });
      publisher.publish(subject, body, { headers: h });
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
