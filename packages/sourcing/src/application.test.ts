import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { Aggregate, event } from './aggregate.js';
import { Application } from './application.js';
import type { ApplicationOptions } from './application.js';
import type { Decider } from './decider.js';
import type { Event } from './events.js';
import { createMemoryRecorders } from './memory-recorder.js';

type CounterEvent =
  | Event<'Started', { name: string }>
  | Event<'Added', { amount: number }>
  | Event<'Renamed', { name: string }>;

class Counter extends Aggregate<CounterEvent> {
  name = '';
  total = 0;

  static start(id: string, name: string): Counter {
    const counter = new Counter(id);
    counter.started({ name });
    return counter;
  }

  add(amount: number): void {
    if (amount <= 0) throw new RangeError('amount must be positive');
    this.added({ amount });
  }

  @event('Started') protected started(data: { name: string }): void {
    this.name = data.name;
  }

  @event('Added') protected added(data: { amount: number }): void {
    this.total += data.amount;
  }
}

/** The same stream written in the explicit style (`trigger` + `apply`). */
class PlainCounter extends Aggregate<CounterEvent> {
  total = 0;

  add(amount: number): void {
    this.trigger('Added', { amount });
  }

  protected override apply(e: CounterEvent): void {
    if (e.type === 'Added') this.total += e.data.amount;
  }
}

type Command = { type: 'Add'; amount: number };
const tally: Decider<{ total: number }, Command, CounterEvent> = {
  name: 'tally',
  initialState: () => ({ total: 0 }),
  decide: (c) => ({ type: 'Added', data: { amount: c.amount } }),
  evolve: (s, e) => (e.type === 'Added' ? { total: s.total + e.data.amount } : s),
};

async function app(options: Partial<ApplicationOptions> = {}): Promise<Application> {
  return new Application({ name: 'test', recorders: await createMemoryRecorders(), ...options });
}

const conflict = (e: unknown): boolean => isEventumError(e, 'ERR_CONFLICT');

describe('application', () => {
  it('records events by calling decorated methods and loads them back', async () => {
    await using a = await app();
    const c = Counter.start('c1', 'cups');
    c.add(2);
    assert.equal(c.version, 2);
    assert.deepEqual(
      c.pendingEvents.map((e) => e.type),
      ['Started', 'Added'],
    );
    assert.deepEqual(await a.save(c), [1, 2]);
    assert.equal(c.pendingEvents.length, 0);
    const loaded = await a.get(Counter, 'c1');
    assert.deepEqual([loaded.name, loaded.total, loaded.version], ['cups', 2, 2]);
    assert.throws(() => loaded.add(-1), RangeError);
    assert.equal(loaded.pendingEvents.length, 0);
  });

  it('saves several aggregates atomically: a conflict in one stores none', async () => {
    await using a = await app();
    await a.save(Counter.start('x', 'x'));
    const stale = await a.get(Counter, 'x');
    const fresh = await a.get(Counter, 'x');
    fresh.add(1);
    await a.save(fresh);
    stale.add(5);
    const other = Counter.start('y', 'y');
    await assert.rejects(a.save(other, stale), conflict);
    assert.equal(await a.repository.contains('y'), false);
    assert.equal((await a.get(Counter, 'x')).total, 1);
  });

  it('loads the same stream into a class written in the explicit style', async () => {
    await using a = await app();
    const c = Counter.start('p', 'plain');
    c.add(3);
    c.add(4);
    await a.save(c);
    const plain = await a.get(PlainCounter, 'p');
    assert.deepEqual([plain.total, plain.version], [7, 3]);
    plain.add(1);
    await a.save(plain);
    assert.equal((await a.get(Counter, 'p')).total, 8);
  });

  it('travels in time with get(id, { version })', async () => {
    await using a = await app({ cacheMaxSize: 10 });
    const c = Counter.start('c', 'n');
    c.add(1);
    c.add(10);
    await a.save(c);
    assert.equal((await a.get(Counter, 'c', { version: 2 })).total, 1);
    assert.equal((await a.get(Counter, 'c')).total, 11);
    await assert.rejects(a.get(Counter, 'c', { version: 9 }), (e) =>
      isEventumError(e, 'ERR_NOT_FOUND'),
    );
    await assert.rejects(a.get(Counter, 'none'), (e) => isEventumError(e, 'ERR_NOT_FOUND'));
  });

  it('retries a command that lost a race, and serves copies from the cache', async () => {
    await using a = await app({ cacheMaxSize: 1 });
    await a.save(Counter.start('r', 'r'));
    let runs = 0;
    await a.update(Counter, 'r', async (c) => {
      runs++;
      c.add(1);
      if (runs > 1) return;
      const rival = await a.get(Counter, 'r');
      rival.add(100);
      await a.save(rival);
    });
    assert.equal(runs, 2);
    const loaded = await a.get(Counter, 'r');
    assert.equal(loaded.total, 101);
    loaded.add(5);
    assert.equal((await a.get(Counter, 'r')).total, 101, 'the cached copy is not the one changed');
  });

  it('appends under each expected-version mode, idempotently by event id', async () => {
    await using a = await app();
    const added = { type: 'Added', data: { amount: 1 } } as const;
    assert.equal(
      (await a.events.append('s', [added], { expectedVersion: 'no-stream' })).nextExpectedVersion,
      1,
    );
    await assert.rejects(a.events.append('s', [added], { expectedVersion: 'no-stream' }), conflict);
    await assert.rejects(a.events.append('s', [added], { expectedVersion: 0 }), conflict);
    await assert.rejects(a.events.append('s', [added], { expectedVersion: 5 }), conflict);
    await assert.rejects(
      a.events.append('t', [added], { expectedVersion: 'stream-exists' }),
      conflict,
    );
    assert.equal(
      (await a.events.append('s', [added], { expectedVersion: 1 })).nextExpectedVersion,
      2,
    );
    assert.equal(
      (await a.events.append('s', [added], { expectedVersion: 'stream-exists' }))
        .nextExpectedVersion,
      3,
    );
    assert.equal((await a.events.append('s', [added, added])).nextExpectedVersion, 5);
    const once = { ...added, eventId: 'payment-42' };
    const first = await a.events.append('s', [once], { expectedVersion: 5 });
    const again = await a.events.append('s', [once], { expectedVersion: 5 });
    assert.deepEqual(again.notificationIds, first.notificationIds, 'a retried append is a no-op');
    await assert.rejects(a.events.append('s', [added], { expectedVersion: 5 }), conflict);
    assert.deepEqual(
      await a.events.recorder.insertEvents([a.events.mapper.toStored(first.events[0]!)]),
      first.notificationIds,
    );
    assert.equal(await a.events.head('s'), 6);
  });

  it('runs a decider on the same application, with retries and snapshots', async () => {
    await using a = await app({ snapshotIntervals: { tally: 2 } });
    for (let i = 1; i <= 5; i++) await a.handle(tally, 't', { type: 'Add', amount: i });
    assert.deepEqual(await a.load(tally, 't'), { state: { total: 15 }, version: 5 });
    assert.deepEqual(await a.load(tally, 't', { version: 3 }), { state: { total: 6 }, version: 3 });
    const snapshot = await a.snapshots!.latest('t', tally);
    assert.deepEqual([snapshot?.version, snapshot?.state], [4, { total: 10 }]);
    await assert.rejects(
      a.handle(tally, 't', { type: 'Add', amount: 1 }, { expectedVersion: 2 }),
      conflict,
    );
    const c = Counter.start('mixed', 'm');
    await a.save(c);
    assert.equal((await a.get(Counter, 'mixed')).name, 'm');
  });

  it('snapshots aggregates at the interval and loads from the snapshot', async () => {
    await using a = await app({ snapshotIntervals: { Counter: 3 } });
    const c = Counter.start('s', 'snap');
    for (let i = 0; i < 4; i++) c.add(1);
    await a.save(c);
    const snapshot = await a.snapshots!.latest<Record<string, unknown>>('s', {});
    assert.equal(snapshot?.version, 3);
    assert.deepEqual(snapshot?.state, { name: 'snap', total: 2 });
    const loaded = await a.get(Counter, 's');
    assert.deepEqual(
      [loaded.total, loaded.version, loaded.createdOn?.getTime()],
      [4, 5, c.createdOn?.getTime()],
    );
  });

  it('upcasts old event data and old snapshot state on read', async () => {
    const recorders = await createMemoryRecorders();
    const v1 = new Application({ name: 'u', recorders });
    await v1.events.append('old', [{ type: 'Added', data: { value: 3 } }]);
    const v2 = new Application({
      name: 'u',
      recorders,
      mapper: { upcasters: { Added: { 1: (d: { value: number }) => ({ amount: d.value }) } } },
    });
    assert.deepEqual(await v2.load(tally, 'old'), { state: { total: 3 }, version: 1 });
    await v2.snapshots?.put(
      {
        originatorId: 'old',
        version: 1,
        kind: 'tally',
        state: 3,
        createdOn: undefined,
        modifiedOn: undefined,
      },
      {},
    );
    const snapshotting = new Application({ name: 'u', recorders, snapshotIntervals: { tally: 1 } });
    await snapshotting.snapshots!.put(
      {
        originatorId: 'old',
        version: 1,
        kind: 'tally',
        state: { sum: 3 },
        createdOn: undefined,
        modifiedOn: undefined,
      },
      {},
    );
    const tally2 = {
      ...tally,
      snapshotVersion: 2,
      upcastSnapshot: { 1: (s: { sum: number }) => ({ total: s.sum }) },
    };
    assert.deepEqual((await snapshotting.snapshots!.latest('old', tally2))?.state, { total: 3 });
    assert.deepEqual(await snapshotting.load(tally2, 'old'), { state: { total: 3 }, version: 1 });
    await v2.close();
  });
});
