import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { RegisterQueue } from './register-queue.js';

describe('register queue', () => {
  it('hands items to the consumer in put order', async () => {
    const queue = new RegisterQueue<number>(4);
    await queue.put(1);
    await queue.put(2);
    assert.equal(await queue.take(), 1);
    assert.equal(await queue.take(), 2);
  });

  it('makes put wait while full and admits waiting producers in call order', async () => {
    const queue = new RegisterQueue<string>(1);
    await queue.put('a');
    const admitted: string[] = [];
    const b = queue.put('b').then(() => admitted.push('b'));
    const c = queue.put('c').then(() => admitted.push('c'));
    assert.equal(queue.length, 3);
    assert.equal(await queue.take(), 'a');
    await b;
    assert.deepEqual(admitted, ['b']);
    assert.equal(await queue.take(), 'b');
    await c;
    assert.equal(await queue.take(), 'c');
  });

  it('puts and takes at once when it can, never ahead of a waiting put', async () => {
    const queue = new RegisterQueue<string>(1);
    assert.equal(queue.tryTake(), undefined);
    assert.equal(queue.tryPut('a'), true);
    assert.equal(queue.tryPut('b'), false, 'full');
    const waiting = queue.put('b');
    assert.equal(queue.tryTake(), 'a');
    await waiting;
    assert.equal(queue.tryPut('c'), false, 'b is queued');
    assert.equal(queue.tryTake(), 'b');
    queue.close();
    assert.equal(queue.tryPut('d'), false, 'closed');
    assert.equal(queue.tryTake(), undefined);
  });

  it('wakes a waiting consumer when an item arrives', async () => {
    const queue = new RegisterQueue<number>(1);
    const taken = queue.take();
    await queue.put(42);
    assert.equal(await taken, 42);
  });

  it('returns queued items on close, rejects waiting and later puts with ERR_CLOSED', async () => {
    const queue = new RegisterQueue<number>(1);
    await queue.put(1);
    const waiting = queue.put(2);
    assert.deepEqual(queue.close(), [1]);
    const isClosed = (e: unknown) => isEventumError(e, 'ERR_CLOSED');
    await assert.rejects(waiting, isClosed);
    await assert.rejects(queue.put(3), isClosed);
    assert.equal(await queue.take(), undefined);
  });

  it('ends a waiting take with undefined on close', async () => {
    const queue = new RegisterQueue<number>(1);
    const taken = queue.take();
    queue.close();
    assert.equal(await taken, undefined);
  });

  it('rejects a size below 1 with ERR_INVALID_ARGUMENT', () => {
    assert.throws(
      () => new RegisterQueue(0),
      (e) => isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
  });
});
