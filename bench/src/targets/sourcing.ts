/**
 * Event-sourcing targets for the `sourcing` scenario: eventum's application on memory, LMDB and
 * PostgreSQL, and Emmett on the same PostgreSQL server, each used as its documentation shows.
 *
 * - eventum: `openApplication` with the persistence section; appends go through
 *   `app.events.append(stream, events, { expectedVersion })`, loads through `app.load(decider)`,
 *   the log through `readNotifications` with every notification mapped back to a domain event.
 * - Emmett: `getPostgreSQLEventStore(url)` (schema auto-migrated), `appendToStream` with
 *   `expectedStreamVersion`, `aggregateStream` with `evolve`/`initialState`, and the log read by
 *   a consumer with a reactor from `BEGINNING` (its documented way to read all messages).
 * Both PostgreSQL targets use a fresh database each, created for the run and dropped after it,
 * and their drivers' default pool size (10 connections).
 */
import { randomBytes } from 'node:crypto';

import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import type { PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { openApplication, readNotifications } from '@eventum/sourcing';
import type { Application, Decider, Event, PersistenceConfig } from '@eventum/sourcing';
import pg from 'pg';

/** The event every scenario writes: a ~100-byte JSON payload. */
export type Deposited = Event<'Deposited', { amount: number; note: string }>;

export const deposited = (i: number): Deposited => ({
  type: 'Deposited',
  data: { amount: i, note: 'salary for the month of march, paid by the usual employer' },
});

export const balance: Decider<{ total: number }, never, Deposited> = {
  name: 'balance',
  decide: () => [],
  evolve: (s, e) => ({ total: s.total + e.data.amount }),
  initialState: () => ({ total: 0 }),
};

/** What the scenario asks of a store. */
export interface SourcingTarget {
  readonly name: string;
  /** Appends `events` to `stream`, which is at `version`. */
  append(stream: string, events: readonly Deposited[], version: number): Promise<void>;
  /** Folds the stream; resolves with its version. */
  load(stream: string): Promise<number>;
  /** Reads every event of the store in order, decoded; resolves with the count. */
  readAll(expected: number): Promise<number>;
  close(): Promise<void>;
}

/** A fresh database on the server of `url`; `drop` removes it. */
export async function scratchDatabase(
  url: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `eventum_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export async function eventumTarget(
  name: string,
  persistence: PersistenceConfig,
): Promise<SourcingTarget> {
  const app: Application = await openApplication({
    name: 'bench',
    config: { persistence, logSectionSize: 1000 },
  });
  return {
    name,
    append: async (stream, events, version) => {
      await app.events.append(stream, events, { expectedVersion: version });
    },
    load: async (stream) => (await app.load(balance, stream)).version,
    readAll: async () => {
      let count = 0;
      for await (const batch of readNotifications(app.log, 1)) {
        for (const n of batch) if (app.events.mapper.toDomain(n).type === 'Deposited') count++;
      }
      return count;
    },
    close: () => app.close(),
  };
}

export function emmettTarget(url: string): SourcingTarget {
  const store: PostgresEventStore = getPostgreSQLEventStore(url);
  return {
    name: 'emmett-postgres',
    append: async (stream, events, version) => {
      await store.appendToStream(stream, [...events], { expectedStreamVersion: BigInt(version) });
    },
    load: async (stream) => {
      const result = await store.aggregateStream<{ total: number }, Deposited>(stream, {
        evolve: (state: { total: number }, event: Deposited) => balance.evolve(state, event),
        initialState: () => balance.initialState(),
      });
      return Number(result.currentStreamVersion);
    },
    readAll: (expected) => emmettReadAll(store, expected),
    close: () => store.close(),
  };
}

async function emmettReadAll(store: PostgresEventStore, expected: number): Promise<number> {
  let count = 0;
  const consumer = store.consumer<Deposited>({ stopWhen: { noMessagesLeft: true } });
  consumer.reactor<Deposited>({
    processorId: `bench-${randomBytes(4).toString('hex')}`,
    startFrom: 'BEGINNING',
    stopAfter: () => count >= expected,
    eachMessage: (message) => {
      if (message.type === 'Deposited') count++;
      return Promise.resolve();
    },
  });
  await consumer.start();
  await consumer.stop(); // not close(): the consumer shares the store's pool

  return count;
}
