import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deferred } from '../lifecycle/resource.js';
import type { Deferred } from '../lifecycle/resource.js';
import { noopLogger } from '../log/logger.js';
import { FlushScheduler } from './flush-scheduler.js';

/** A scheduler whose writes wait for the test to finish them, logging what happens in order. */
function scripted() {
  const log: string[] = [];
  const writes: Deferred<void>[] = [];
  const overlap = { active: 0, most: 0 };
  const scheduler = new FlushScheduler({
    periodMs: 60_000,
    logger: noopLogger,
    write: () => {
      const write = deferred<void>();
      writes.push(write);
      log.push(`write ${writes.length} starts`);
      overlap.most = Math.max(overlap.most, ++overlap.active);
      return write.promise.finally(() => overlap.active--);
    },
  });
  const request = (name: string) =>
    scheduler.request().then(
      () => log.push(`${name} answered`),
      (error: Error) => log.push(`${name} failed: ${error.message}`),
    );
  return { log, writes, overlap, scheduler, request };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FlushScheduler', () => {
  it('answers a request with the next write; requests made meanwhile share the one after', async () => {
    const { log, writes, scheduler, request } = scripted();
    const controller = new AbortController();
    const loop = scheduler.run(controller.signal);
    const first = request('a');
    await turn();
    const second = [request('b'), request('c')];
    await turn();
    assert.deepEqual(log, ['write 1 starts']);
    writes[0]?.resolve();
    await first;
    // The next write started before the first one's requests were answered (pipelined).
    assert.deepEqual(log, ['write 1 starts', 'write 2 starts', 'a answered']);
    writes[1]?.resolve();
    await Promise.all(second);
    assert.deepEqual(log.slice(3), ['b answered', 'c answered']);
    controller.abort();
    for (const write of writes.slice(2)) write.resolve();
    await loop;
    await scheduler.done;
  });

  it('never runs two writes at once, whatever mix of requests, fires and flushNow', async () => {
    const { writes, overlap, scheduler, request } = scripted();
    const controller = new AbortController();
    const loop = scheduler.run(controller.signal);
    let pending = 0;
    const track = (answer: Promise<unknown>) => {
      pending++;
      void answer.finally(() => pending--);
    };
    for (let round = 0; round < 20; round++) {
      track(request(`r${round}`));
      if (round % 3 === 0) scheduler.fire();
      if (round % 4 === 0) track(scheduler.flushNow());
      await turn();
      for (const write of writes) write.resolve();
      await turn();
    }
    // Let the writes still asked for finish (a flushNow waits out the pipelined writes).
    for (let settle = 0; settle < 100 && pending > 0; settle++) {
      for (const write of writes) write.resolve();
      await turn();
    }
    assert.equal(pending, 0);
    assert.equal(overlap.most, 1);
    controller.abort();
    await loop;
  });

  it('fails the requests of a failed write; the next write retries', async () => {
    const { log, writes, scheduler, request } = scripted();
    const controller = new AbortController();
    const loop = scheduler.run(controller.signal);
    const first = request('a');
    await turn();
    writes[0]?.reject(new Error('disk full'));
    await first;
    assert.deepEqual(log, ['write 1 starts', 'a failed: disk full']);
    assert.equal(scheduler.health.failure?.message, 'disk full');
    const second = request('b');
    await turn();
    writes[1]?.resolve();
    await second;
    assert.equal(log.at(-1), 'b answered');
    assert.equal(scheduler.health.failure, null);
    controller.abort();
    await loop;
  });
});
