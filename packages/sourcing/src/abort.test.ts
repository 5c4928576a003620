import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import type { Recorders } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import { Aggregate } from './aggregate.js';
import { Application } from './application.js';
import type { Decider } from './decider.js';
import type { Event } from './events.js';
import { createLmdbRecorders } from './lmdb/lmdb-recorders.js';
import { createMemoryRecorders } from './memory-recorder.js';
import { followNotifications, readNotifications } from './notification-log.js';

type Added = Event<'Added', { amount: number }>;

const added = (amount: number): Added => ({ type: 'Added', data: { amount } });

const counter: Decider<number, number, Added> = {
  name: 'counter',
  decide: (amount) => added(amount),
  evolve: (total, e) => total + e.data.amount,
  initialState: () => 0,
};

class Tally extends Aggregate<Added> {
  total = 0;

  add(amount: number): void {
    this.trigger('Added', { amount });
  }

  protected override apply(e: Added): void {
    this.total += e.data.amount;
  }
}

const aborted = (error: unknown): boolean => (error as { code?: string }).code === 'ERR_ABORTED';

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('stop'));
  return controller.signal;
}

async function withApp(
  open: () => Promise<Recorders>,
  body: (app: Application) => Promise<void>,
): Promise<void> {
  const app = new Application({ name: 'abort', recorders: await open(), logSectionSize: 5 });
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

function abortTests(open: () => Promise<Recorders>): void {
  it('rejects log sections, selects and batched reads with ERR_ABORTED', () =>
    withApp(open, async (app) => {
      await app.events.append('s', [added(1), added(2)]);
      const signal = abortedSignal();
      await assert.rejects(app.log.section('1,5', { signal }), aborted);
      await assert.rejects(app.log.select(1, 5, { signal }), aborted);
      await assert.rejects(readNotifications(app.log, 1, { signal }).next(), aborted);
      assert.equal((await app.log.select(1, 5)).length, 2);
    }));

  it('ends a tailing read that waits for new events with ERR_ABORTED', () =>
    withApp(open, async (app) => {
      await app.events.append('s', [added(1)]);
      const polling = followNotifications(app.log, 1, { pollMs: 5 });
      const first = await polling.next();
      assert.equal(first.done === true ? 0 : first.value.length, 1);
      const waiting = polling.next();
      await app.events.append('s', [added(2)], { expectedVersion: 1 });
      const second = await waiting;
      assert.equal(second.done === true ? 0 : second.value[0]?.originatorVersion, 2);
      await polling.return(undefined);
      const controller = new AbortController();
      const tail = followNotifications(app.log, 3, { pollMs: 600_000, signal: controller.signal });
      const idle = tail.next();
      setImmediate(() => controller.abort());
      await assert.rejects(idle, aborted);
    }));

  it('loads a long stream only while the signal has not fired', () =>
    withApp(open, async (app) => {
      for (let v = 0; v < 2000; v += 500) {
        const batch = Array.from({ length: 500 }, () => added(1));
        await app.events.append('long', batch, { expectedVersion: v });
      }
      assert.equal((await app.load(counter, 'long')).state, 2000);
      await assert.rejects(app.load(counter, 'long', { signal: abortedSignal() }), aborted);
      const controller = new AbortController();
      const loading = app.load(counter, 'long', { signal: controller.signal });
      controller.abort();
      await assert.rejects(loading, aborted);
    }));

  it('stops retrying a command once the signal fires', () =>
    withApp(open, async (app) => {
      const start = new Tally('raced');
      start.add(1);
      await app.save(start);
      const controller = new AbortController();
      let attempts = 0;
      const handled = app.update(
        Tally,
        'raced',
        async (tally) => {
          attempts += 1;
          if (attempts === 2) controller.abort();
          // A rival writes first, so every save of this command conflicts.
          await app.update(Tally, 'raced', (rival) => rival.add(1));
          tally.add(5);
        },
        { retries: 10, signal: controller.signal },
      );
      await assert.rejects(handled, aborted);
      assert.equal(attempts, 2);
      assert.equal((await app.get(Tally, 'raced')).total, 3);
      const signal = abortedSignal();
      await assert.rejects(app.handle(counter, 'raced', 1, { signal }), aborted);
      assert.equal((await app.get(Tally, 'raced')).total, 3);
    }));
}

describe('AbortSignal on memory', () => abortTests(createMemoryRecorders));

describe('AbortSignal on LMDB', async () => {
  const dir = await tempDir('eventum-sourcing-abort-');
  after(() => dir.remove());
  let files = 0;
  abortTests(() => createLmdbRecorders({ path: join(dir.path, `a${++files}.mdb`), name: 'app' }));
});
