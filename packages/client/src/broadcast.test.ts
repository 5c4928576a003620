import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Broadcast } from './broadcast.js';

describe('Broadcast', () => {
  it('keeps only the newest values for a lagging consumer under drop-oldest', async () => {
    const broadcast = new Broadcast<number>(2, 'drop-oldest');
    const consumer = broadcast.subscribe();
    for (const value of [1, 2, 3, 4]) broadcast.publish(value);
    broadcast.close();
    const seen: number[] = [];
    for await (const value of consumer) seen.push(value);
    assert.deepEqual(seen, [3, 4]);
  });

  it('fails a lagging consumer under error and leaves the others untouched', async () => {
    const broadcast = new Broadcast<number>(1, 'error', () => new Error('behind'));
    const slow = broadcast.subscribe();
    const fast = broadcast.subscribe();
    broadcast.publish(1);
    assert.deepEqual(await fast.next(), { value: 1, done: false });
    broadcast.publish(2);
    await assert.rejects(slow.next(), /behind/);
    assert.deepEqual(await fast.next(), { value: 2, done: false });
    assert.equal(broadcast.size, 1);
  });

  it('wakes every waiting reader on close and forgets consumers that returned', async () => {
    const broadcast = new Broadcast<number>(4, 'error');
    const consumer = broadcast.subscribe();
    const waits = [consumer.next(), consumer.next()];
    const other = broadcast.subscribe();
    await other.return?.();
    assert.equal(broadcast.size, 1);
    broadcast.close();
    assert.deepEqual(await Promise.all(waits), [
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    assert.equal((await broadcast.subscribe().next()).done, true);
  });
});
