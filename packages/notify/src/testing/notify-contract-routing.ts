import assert from 'node:assert/strict';
import { it } from 'node:test';

import { uniqueRoot } from '@eventum/testing';

import { field, optional } from '../fields.js';
import { ionCatalogue } from '../ion.js';
import { defineKind } from '../kind.js';
import { createNotifier } from '../notifier.js';
import type { NotifySubscription } from '../subscription.js';
import type { NotificationError } from '../validate.js';
import { make, nothingMore, take, withNotifier } from './helpers.js';
import type { OpenBus } from './helpers.js';

/** A queue name no other test of the run uses (JetStream durable consumers outlive a test). */
function uniqueQueue(): string {
  return `q${uniqueRoot().replaceAll('.', '_')}`;
}

/** Reads from every subscription until `total` notifications arrived between them. */
async function collect<N>(subs: readonly NotifySubscription<N>[], total: number): Promise<N[][]> {
  const got: N[][] = subs.map(() => []);
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${count} of ${total}`)), 10_000);
    subs.forEach((sub, i) => {
      void (async () => {
        for (;;) {
          const result = await sub.next();
          if (result.done === true) return;
          got[i]?.push(result.value);
          if (++count === total) {
            clearTimeout(timer);
            resolve();
          }
        }
      })();
    });
  });
  return got;
}

export function routingTests(open: OpenBus): void {
  it('routes multi-token origins; subscribers match by kind and origin with wildcards', () =>
    withNotifier(open, async (notifier) => {
      const exact = notifier.subscribe({ kind: 'process-lifecycle', origin: 'chan1.proc42' });
      const oneToken = notifier.subscribe({ kind: 'process-lifecycle', origin: 'chan1' });
      const star = notifier.subscribe({ kind: 'process-lifecycle', origin: 'chan1.*' });
      const rest = notifier.subscribe({ origin: 'chan1.>' });
      const anyOrigin = notifier.subscribe({ kind: 'process-lifecycle' });
      const everything = notifier.subscribe();
      const subs = [exact, oneToken, star, rest, anyOrigin, everything];
      await Promise.all(subs.map((s) => s.ready));
      notifier.publish('process-lifecycle', { origin: 'chan1.proc42', state: 'READY' });
      notifier.publish('process-lifecycle', { origin: 'chan1', state: 'READY' });
      notifier.publish('logging-info', { origin: 'chan1.proc42.x' });
      notifier.publish('process-lifecycle', { origin: 'other', state: 'ERROR' });
      const origins = async (sub: NotifySubscription<{ origin: string }>, n: number) =>
        (await take(sub, n)).map((x) => x.origin);
      assert.deepEqual(await origins(exact, 1), ['chan1.proc42']);
      assert.deepEqual(await origins(oneToken, 1), ['chan1']);
      assert.deepEqual(await origins(star, 1), ['chan1.proc42']);
      assert.deepEqual(await origins(rest, 2), ['chan1.proc42', 'chan1.proc42.x']);
      assert.deepEqual(await origins(anyOrigin, 3), ['chan1.proc42', 'chan1', 'other']);
      assert.deepEqual(await origins(everything, 4), [
        'chan1.proc42',
        'chan1',
        'chan1.proc42.x',
        'other',
      ]);
      for (const sub of subs) assert.ok(await nothingMore(sub));
    }));

  it('a subscriber of one kind skips another kind sharing its id; an any-kind subscriber gets both', () =>
    withNotifier(open, async (notifier) => {
      const blocks = notifier.subscribe({ kind: 'data-block' });
      const all = notifier.subscribe({ origin: 'agent-1' });
      await Promise.all([blocks.ready, all.ready]);
      notifier.publish('instrument-sample', { origin: 'agent-1', temperature: 11.5 });
      notifier.publish('data-block', { origin: 'agent-1', dataBlock: 'abc' });
      const [block] = await take(blocks, 1);
      assert.equal(block?.data.dataBlock, 'abc');
      assert.equal(blocks.invalid, 0);
      const both = await take(all, 2);
      assert.deepEqual(
        both.map((n) => n.kind),
        ['instrument-sample', 'data-block'],
      );
      const sample = both[0];
      if (sample?.kind === 'instrument-sample') assert.equal(sample.data.temperature, 11.5);
      else assert.fail('expected an instrument sample');
    }));

  it('skips and reports what fails the receipt check, and delivers what passes', () =>
    withNotifier(open, async (notifier, bus) => {
      const refused: NotificationError[] = [];
      const sub = notifier.subscribe({ onInvalid: (error) => refused.push(error) });
      await sub.ready;
      const at = (id: number, origin = 'p') => `${notifier.subjectPrefix}.${id}.${origin}`;
      const type = 'process-lifecycle';
      const base = { origin: 'p', datetime: 1 };
      bus.publish(at(1052), { ...base, state: 'ACTIVE' }, { type });
      bus.publish(at(1052), { ...base, state: 3, extra: 1 }, { type });
      bus.publish(at(1052), { ...base, origin: 'q', state: 3 }, { type });
      bus.publish(at(1052), { ...base, state: 3 }, { type: 'nope' });
      bus.publish(at(1052), { ...base, state: 3 }, { type: 'resource-lifecycle' });
      bus.publish(at(1052), { origin: 'p', state: 3 }, { type });
      bus.publish(at(1052), { ...base, state: 3 }, { type });
      const [n] = await take(sub, 1);
      assert.equal(n?.kind, 'process-lifecycle');
      assert.equal(sub.invalid, 6);
      assert.equal(notifier.stats.invalid, 6);
      assert.deepEqual(
        refused.map((e) => e.field),
        ['state', 'extra', 'origin', '', '', 'datetime'],
      );
      assert.match(refused[3]?.message ?? '', /unknown kind "nope"/);
      assert.match(refused[4]?.message ?? '', /kind id is 1001, subject says 1052/);
    }));

  it('named subscribers share a queue, isolated per system; anonymous ones each get everything', async () => {
    const bus = await open();
    try {
      const prefix = `${uniqueRoot()}.events`;
      const a = make(bus, 'sys-a', prefix);
      const b = make(bus, 'sys-b', prefix);
      const queue = uniqueQueue();
      const members = [a.subscribe({ queue }), a.subscribe({ queue })];
      const otherSystem = b.subscribe({ queue });
      const anonymous = [a.subscribe(), b.subscribe()];
      await Promise.all([...members, otherSystem, ...anonymous].map((s) => s.ready));
      const total = 20;
      for (let i = 0; i < total; i++) a.publish('logging-info', { origin: 'w', body: String(i) });
      const all = Array.from({ length: total }, (_, i) => String(i));
      const shared = (await collect(members, total)).flat().map((n) => n.data.body);
      assert.deepEqual([...shared].sort(), [...all].sort());
      const bodies = async (sub: (typeof anonymous)[number]) =>
        (await take(sub, total)).map((n) => n.data.body);
      assert.deepEqual(await bodies(otherSystem), all);
      for (const sub of anonymous) assert.deepEqual(await bodies(sub), all);
      for (const sub of members) assert.ok(await nothingMore(sub));
    } finally {
      await bus.close();
    }
  });

  it("an application's own kind is typed, validated and routed like the built-in ones", async () => {
    const doorOpened = defineKind({
      id: 9001,
      name: 'door-opened',
      fields: { door: field.string(), floor: optional(field.integer({ minimum: 0 })) },
      description: 'A door opened; origin: the building.',
    });
    const bus = await open();
    try {
      const catalogue = ionCatalogue.with(doorOpened);
      const notifier = createNotifier({ bus, catalogue, subjectPrefix: `${uniqueRoot()}.ev` });
      const sub = notifier.subscribe({ kind: doorOpened, origin: 'hq' });
      await sub.ready;
      const loose = notifier.publish.bind(notifier) as (
        kind: string,
        input: Record<string, unknown>,
      ) => string;
      assert.throws(
        () => loose('door-opened', { origin: 'hq', door: 'd', floor: -1 }),
        /floor: must be >= 0/,
      );
      notifier.publish(doorOpened, { origin: 'hq', door: 'front', floor: 2 });
      const [n] = await take(sub, 1);
      assert.equal(n?.topic, `${notifier.subjectPrefix}.9001.hq`);
      assert.deepEqual([n?.data.door, n?.data.floor], ['front', 2]);
    } finally {
      await bus.close();
    }
  });
}
