/**
 * The network fuzzer's well-behaved client: registers an event and reads it back with a
 * `latest` query, round after round, for as long as the fuzzer runs, then once more at the end.
 * Any failed round is a problem (the server stopped serving good clients).
 */
import { connect, queryAll } from '@eventum/client';
import type { EventerClient } from '@eventum/client';

import { describeError } from './decode-oracle.js';

export class Probe {
  readonly #client: EventerClient;
  readonly #problems: string[] = [];
  #rounds = 0;
  #running = true;
  readonly #loop: Promise<void>;

  private constructor(client: EventerClient) {
    this.#client = client;
    this.#loop = this.#run();
  }

  /** Connects, and stores 200 events of 2 KB first, so that `latest` answers are large. */
  static async start(port: number): Promise<Probe> {
    const client = await connect({ host: '127.0.0.1', port, clientName: 'fuzz-probe' });
    const payload = { type: 'json' as const, data: 'x'.repeat(2000) };
    const events = Array.from({ length: 200 }, (_, i) => ({
      type: ['preload', String(i)],
      payload,
    }));
    await client.register(events, { withResponse: true });
    return new Probe(client);
  }

  /** Completed rounds. */
  get rounds(): number {
    return this.#rounds;
  }

  /**
   * Stops the background rounds, runs one more, reads back everything stored (what the fuzzed
   * connections registered included: nothing stored may break a reader), and returns every
   * problem seen.
   */
  async finish(): Promise<string[]> {
    this.#running = false;
    await this.#loop;
    const before = this.#rounds;
    await this.#round();
    if (this.#rounds === before) this.#problems.push('the last round after the run failed');
    await this.#readAll();
    return [...this.#problems];
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await this.#client.close();
  }

  async #run(): Promise<void> {
    while (this.#running && this.#problems.length === 0) {
      await this.#round();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  async #readAll(): Promise<void> {
    const client = this.#client;
    const reads = {
      latest: () => client.query({ type: 'latest' }),
      timeseries: () => queryAll(client, { type: 'timeseries', order: 'ascending' }),
      server: () => queryAll(client, { type: 'server', serverId: 1 }),
    };
    for (const [name, read] of Object.entries(reads)) {
      try {
        const { events } = await read();
        if (events.length === 0) throw new Error('no events');
      } catch (error) {
        this.#problems.push(`reading everything stored (${name}): ${describeError(error)}`);
      }
    }
  }

  async #round(): Promise<void> {
    const n = this.#rounds;
    const type = ['probe', String(n % 10)];
    try {
      const payload = { type: 'json' as const, data: n };
      const registered = await this.#client.register([{ type, payload }], {
        withResponse: true,
      });
      if (!Array.isArray(registered) || registered.length !== 1) {
        throw new Error(`register answered ${JSON.stringify(registered)}`);
      }
      const result = await this.#client.query({
        type: 'latest',
        eventTypes: [type],
      });
      const data = result.events[0]?.payload;
      if (data?.type !== 'json' || data.data !== n) {
        throw new Error(`latest gave ${result.events.length} events, not the one registered`);
      }
      this.#rounds++;
    } catch (error) {
      this.#problems.push(`well-behaved client, round ${n}: ${describeError(error)}`);
    }
  }
}
