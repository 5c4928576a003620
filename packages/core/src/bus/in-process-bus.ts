import type {
  Bus,
  BusOptions,
  BusPlugin,
  BusPublishOptions,
  BusSubscribeOptions,
  BusSubscription,
} from './bus.js';
import { BusBase } from './bus-base.js';
import { BufferedSubscription } from './buffered-subscription.js';
import { createEnvelope } from './envelope.js';
import type { BusPayload } from './envelope.js';
import { matchesSubject } from '../matching/match.js';

interface Entry {
  readonly pattern: string;
  readonly queue: string | undefined;
  readonly subscription: BufferedSubscription;
}

/**
 * The in-process transport (DECNET's FakeBus with real pub/sub semantics): publishers and
 * subscribers of the same bus object, in one process. Delivery is synchronous into each
 * subscription's buffer, at most once, in publication order; a subscriber sees its own bus's
 * events (echo). Queue groups share events round-robin.
 */
export function createInProcessBus(options: BusOptions = {}): Bus {
  return new InProcessBus(options);
}

class InProcessBus extends BusBase implements Bus {
  readonly transport = 'in-process';
  readonly #entries = new Set<Entry>();
  readonly #turns = new Map<string, number>();

  constructor(options: BusOptions) {
    super(options);
    this.group.onClose(async () => {
      await Promise.all([...this.#entries].map((e) => e.subscription.close()));
    });
  }

  publish(topic: string, payload: BusPayload, options: BusPublishOptions = {}): void {
    if (!this.admitPublish(topic)) return;
    const envelope = createEnvelope(topic, payload, options);
    this.counters.published++;
    const groups = new Map<string, Entry[]>();
    for (const entry of this.#entries) {
      if (!matchesSubject(entry.pattern, topic)) continue;
      if (entry.queue === undefined) this.#deliver(entry, envelope);
      else groups.set(entry.queue, [...(groups.get(entry.queue) ?? []), entry]);
    }
    for (const [queue, members] of groups) {
      const turn = this.#turns.get(queue) ?? 0;
      this.#turns.set(queue, turn + 1);
      this.#deliver(members[turn % members.length] as Entry, envelope);
    }
  }

  subscribe(pattern: string, options: BusSubscribeOptions = {}): BusSubscription {
    this.admitSubscribe(pattern);
    const subscription = new BufferedSubscription(pattern, {
      ...(options.bufferSize === undefined ? {} : { bufferSize: options.bufferSize }),
      logger: this.logger,
      onDrop: () => this.counters.dropped++,
      onClose: () => void this.#entries.delete(entry),
    });
    const entry: Entry = { pattern, queue: options.queue, subscription };
    this.#entries.add(entry);
    return subscription;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  #deliver(entry: Entry, envelope: ReturnType<typeof createEnvelope>): void {
    this.counters.delivered++;
    entry.subscription.push(envelope);
  }
}

/** The null transport: publishes vanish, subscriptions end at once, nothing ever fails. */
export function createNullBus(options: BusOptions = {}): Bus {
  return new NullBus(options);
}

class NullBus extends BusBase implements Bus {
  readonly transport = 'null';

  publish(): void {
    // Nothing to do: the null bus accepts and forgets.
  }

  subscribe(pattern: string): BusSubscription {
    const subscription = new BufferedSubscription(pattern);
    void subscription.close();
    return subscription;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}

const emptySchema = {
  type: 'object',
  properties: { type: { type: 'string' }, strict: { type: 'boolean', default: false } },
  additionalProperties: false,
} as const;

/** Configuration type `in-process`. */
export const inProcessBus: BusPlugin<{ readonly strict?: boolean }> = {
  type: 'in-process',
  configSchema: emptySchema,
  create: (config, options) => Promise.resolve(createInProcessBus({ ...options, ...config })),
};

/** Configuration type `null`. */
export const nullBus: BusPlugin = {
  type: 'null',
  configSchema: emptySchema,
  create: (_config, options) => Promise.resolve(createNullBus(options)),
};
