/**
 * The bus contract: one definition of a correct bus transport (the behaviour DECNET's tests pin
 * plus eventum's additions), run against in-process, NATS core and JetStream alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { BUS_ENVELOPE_VERSION, isEventumError } from '@eventum/core';
import type { Bus, BusOptions } from '@eventum/core';

import { nothingMore, takeEvents } from './bus-helpers.js';
import { waitFor } from './temp.js';

/** Opens a fresh bus of the transport under test; each test closes what it opens. */
export type BusFactory = (options?: BusOptions) => Promise<Bus>;

/** Runs the contract as a `describe` block named after the transport. Topics are made unique
 * per test so transports sharing a server (NATS) do not see each other's events. */
export function busContract(name: string, open: BusFactory): void {
  describe(`bus contract: ${name}`, () => {
    describe('delivery', () => deliveryTests(open));
    describe('lifecycle', () => lifecycleTests(open));
    describe('limits and errors', () => limitTests(open));
  });
}

/** The first token of every topic this process's bus tests use (a JetStream stream of the run
 * captures `<busTestRoot>.>`). */
export const busTestRoot = `t${process.pid}x${Date.now().toString(36)}`;
let counter = 0;
/** A topic root no other test (or run) uses: `<busTestRoot>.<n>`. */
export function uniqueRoot(): string {
  counter += 1;
  return `${busTestRoot}.${counter}`;
}

async function withBus(
  open: BusFactory,
  body: (bus: Bus, root: string) => Promise<void>,
  options?: BusOptions,
): Promise<void> {
  const bus = await open(options);
  try {
    await body(bus, uniqueRoot());
  } finally {
    await bus.close();
  }
}

function deliveryTests(open: BusFactory): void {
  it('delivers exact and wildcard matches with the envelope, and nothing else', () =>
    withBus(open, async (bus, root) => {
      const exact = bus.subscribe(`${root}.topology.abc.mutation.applied`);
      const star = bus.subscribe(`${root}.topology.*.mutation.*`);
      const tail = bus.subscribe(`${root}.topology.>`);
      const other = bus.subscribe(`${root}.decky.*.state`);
      await Promise.all([exact.ready, star.ready, tail.ready, other.ready]);
      const before = Date.now() / 1000;
      bus.publish(
        `${root}.topology.abc.mutation.applied`,
        { n: 1, nested: { a: [1, 'ü'] } },
        { type: 'applied' },
      );
      bus.publish(`${root}.topology.abc.status`, { n: 2 });
      const [event] = await takeEvents(exact, 1);
      assert.ok(event);
      assert.equal(event.v, BUS_ENVELOPE_VERSION);
      assert.match(event.id, /^[0-9a-f]{32}$/);
      assert.equal(event.topic, `${root}.topology.abc.mutation.applied`);
      assert.equal(event.type, 'applied');
      assert.ok(event.ts >= before - 1 && event.ts <= Date.now() / 1000 + 1);
      assert.deepEqual(event.payload, { n: 1, nested: { a: [1, 'ü'] } });
      assert.deepEqual(
        (await takeEvents(star, 1)).map((e) => e.payload['n']),
        [1],
      );
      assert.deepEqual(
        (await takeEvents(tail, 2)).map((e) => e.payload['n']),
        [1, 2],
      );
      assert.equal((await takeEvents(tail, 0)).length, 0);
      assert.ok(await nothingMore(other));
      assert.ok(await nothingMore(star));
    }));

  it('gives each subscriber its own copy, in publication order', () =>
    withBus(open, async (bus, root) => {
      const a = bus.subscribe(`${root}.>`);
      const b = bus.subscribe(`${root}.x`);
      await Promise.all([a.ready, b.ready]);
      for (let i = 0; i < 100; i++) bus.publish(`${root}.x`, { i });
      const expected = Array.from({ length: 100 }, (_, i) => i);
      assert.deepEqual(
        (await takeEvents(a, 100)).map((e) => e.payload['i']),
        expected,
      );
      assert.deepEqual(
        (await takeEvents(b, 100)).map((e) => e.payload['i']),
        expected,
      );
    }));

  it('keeps the given id, ts and an empty type by default', () =>
    withBus(open, async (bus, root) => {
      const sub = bus.subscribe(`${root}.x`);
      await sub.ready;
      bus.publish(`${root}.x`, {}, { id: 'a'.repeat(32), ts: 1234.5 });
      const [event] = await takeEvents(sub, 1);
      assert.deepEqual(
        { id: event?.id, ts: event?.ts, type: event?.type, payload: event?.payload },
        { id: 'a'.repeat(32), ts: 1234.5, type: '', payload: {} },
      );
    }));

  it("'>' needs at least one token and '*' matches exactly one", () =>
    withBus(open, async (bus, root) => {
      const tail = bus.subscribe(`${root}.a.>`);
      const star = bus.subscribe(`${root}.*`);
      await Promise.all([tail.ready, star.ready]);
      bus.publish(`${root}.a`, { n: 1 });
      bus.publish(`${root}.a.b.c`, { n: 2 });
      assert.deepEqual(
        (await takeEvents(tail, 1)).map((e) => e.payload['n']),
        [2],
      );
      assert.deepEqual(
        (await takeEvents(star, 1)).map((e) => e.payload['n']),
        [1],
      );
      assert.ok(await nothingMore(star));
    }));

  it('shares a queue group: each event goes to exactly one member', () =>
    withBus(open, async (bus, root) => {
      const members = [
        bus.subscribe(`${root}.job`, { queue: `q${root.replaceAll('.', '_')}` }),
        bus.subscribe(`${root}.job`, { queue: `q${root.replaceAll('.', '_')}` }),
      ];
      const plain = bus.subscribe(`${root}.job`);
      await Promise.all([...members, plain].map((s) => s.ready));
      for (let i = 0; i < 50; i++) bus.publish(`${root}.job`, { i });
      assert.equal((await takeEvents(plain, 50)).length, 50);
      const seen: number[] = [];
      const pump = members.map(async (member) => {
        for await (const event of member) {
          seen.push(event.payload['i'] as number);
          if (seen.length === 50) break;
        }
      });
      await waitFor(() => seen.length >= 50, { timeoutMs: 10_000 });
      await Promise.all(members.map((m) => m.close()));
      await Promise.all(pump);
      assert.deepEqual(
        [...seen].sort((x, y) => x - y),
        Array.from({ length: 50 }, (_, i) => i),
      );
    }));
}

function lifecycleTests(open: BusFactory): void {
  it('closing a subscription wakes a pending read and is idempotent', () =>
    withBus(open, async (bus, root) => {
      const sub = bus.subscribe(`${root}.x`);
      await sub.ready;
      const pending = sub[Symbol.asyncIterator]().next();
      await Promise.all([sub.close(), sub.close()]);
      assert.equal((await pending).done, true);
      assert.equal(sub.isClosed, true);
      bus.publish(`${root}.x`, {});
      assert.equal((await sub[Symbol.asyncIterator]().next()).done, true);
    }));

  it('works with await using and break', () =>
    withBus(open, async (bus, root) => {
      let kept: ReturnType<Bus['subscribe']> | undefined;
      {
        await using sub = bus.subscribe(`${root}.x`);
        kept = sub;
        await sub.ready;
        bus.publish(`${root}.x`, { n: 1 });
        for await (const event of sub) {
          assert.equal(event.payload['n'], 1);
          break;
        }
      }
      assert.equal(kept.isClosed, true);
    }));

  it('closing the bus ends every iterator; close is idempotent; then publish drops and subscribe throws', () =>
    withBus(open, async (bus, root) => {
      const subs = [bus.subscribe(`${root}.a`), bus.subscribe(`${root}.>`)];
      await Promise.all(subs.map((s) => s.ready));
      const reads = subs.map((s) => s[Symbol.asyncIterator]().next());
      await Promise.all([bus.close(), bus.close()]);
      for (const read of await Promise.all(reads)) assert.equal(read.done, true);
      assert.equal(bus.isClosed, true);
      assert.equal(await bus.closed, undefined);
      const dropped = bus.stats.dropped;
      bus.publish(`${root}.a`, {});
      bus.publish(`${root}.a`, {});
      assert.equal(bus.stats.dropped, dropped + 2);
      assert.throws(
        () => bus.subscribe(`${root}.a`),
        (e) => isEventumError(e, 'ERR_CLOSED'),
      );
    }));

  it('with strict, publishing on a closed bus throws ERR_CLOSED', () =>
    withBus(
      open,
      async (bus, root) => {
        await bus.close();
        assert.throws(
          () => bus.publish(`${root}.a`, {}),
          (e) => isEventumError(e, 'ERR_CLOSED'),
        );
      },
      { strict: true },
    ));
}

function limitTests(open: BusFactory): void {
  it('a full buffer drops the oldest events, counts them, and never blocks the publisher', () =>
    withBus(open, async (bus, root) => {
      const sub = bus.subscribe(`${root}.x`, { bufferSize: 2 });
      const watcher = bus.subscribe(`${root}.x`);
      await Promise.all([sub.ready, watcher.ready]);
      for (let i = 0; i < 5; i++) bus.publish(`${root}.x`, { i });
      await takeEvents(watcher, 5);
      await waitFor(() => sub.dropped === 3);
      assert.deepEqual(
        (await takeEvents(sub, 2)).map((e) => e.payload['i']),
        [3, 4],
      );
      assert.ok(bus.stats.dropped >= 3);
    }));

  it('rejects bad topics, patterns, payloads and buffer sizes with ERR_INVALID_ARGUMENT', () =>
    withBus(open, (bus, root) => {
      const invalid = (e: unknown): boolean => isEventumError(e, 'ERR_INVALID_ARGUMENT');
      for (const topic of ['', `${root}.*`, `${root}.>`, `${root}..x`, `${root}.a b`, `${root}.`]) {
        assert.throws(() => bus.publish(topic, {}), invalid, topic);
      }
      for (const pattern of ['', `${root}..x`, `${root}.>.x`, `${root}.a\tb`]) {
        assert.throws(() => bus.subscribe(pattern), invalid, pattern);
      }
      assert.throws(() => bus.publish(`${root}.x`, [] as never), invalid);
      assert.throws(() => bus.subscribe(`${root}.x`, { bufferSize: 0 }), invalid);
      return Promise.resolve();
    }));

  it('counts what it published and delivered', () =>
    withBus(open, async (bus, root) => {
      const sub = bus.subscribe(`${root}.x`);
      await sub.ready;
      bus.publish(`${root}.x`, {});
      await takeEvents(sub, 1);
      await bus.flush();
      assert.equal(bus.stats.published, 1);
      assert.equal(bus.stats.delivered, 1);
      assert.equal(bus.stats.errors, 0);
    }));
}
