import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { storedEvent } from '@eventum/testing';

import { MemoryRecorder } from './memory-recorder.js';
import { NotificationLog, readNotifications } from './notification-log.js';

async function logOf(count: number, sectionSize: number): Promise<NotificationLog> {
  const recorder = new MemoryRecorder();
  for (let v = 1; v <= count; v++)
    await recorder.insertEvents([storedEvent('a', v, v % 2 ? 'Odd' : 'Even')]);
  return new NotificationLog(recorder, sectionSize);
}

describe('notification log', () => {
  it('serves sections "start,end" linked by next_id until one is not full', async () => {
    const log = await logOf(7, 3);
    const first = await log.section('1,3');
    assert.deepEqual([first.id, first.nextId, first.items.length], ['1,3', '4,6', 3]);
    const second = await log.section(first.nextId!);
    assert.deepEqual([second.id, second.nextId], ['4,6', '7,9']);
    const last = await log.section('7,9');
    assert.deepEqual([last.id, last.nextId, last.items.map((n) => n.id)], ['7,7', null, [7]]);
    assert.deepEqual(await log.section('8,10'), { id: null, items: [], nextId: null });
    assert.equal(
      (await log.section('0,100')).items.length,
      3,
      'a section is at most sectionSize long',
    );
    await assert.rejects(log.section('1-3'), (e) => isEventumError(e, 'ERR_INVALID_ARGUMENT'));
  });

  it('selects with limit, stop and topics, and reads all in batches', async () => {
    const log = await logOf(7, 3);
    assert.deepEqual(
      (await log.select(2, 3, { topics: ['Odd'] })).map((n) => n.id),
      [3, 5, 7],
    );
    assert.deepEqual(
      (await log.select(2, 3, { stop: 3 })).map((n) => n.id),
      [2, 3],
    );
    await assert.rejects(log.select(1, 4), (e) => isEventumError(e, 'ERR_INVALID_ARGUMENT'));
    const batches: number[][] = [];
    for await (const batch of readNotifications(log, 2)) batches.push(batch.map((n) => n.id));
    assert.deepEqual(batches, [
      [2, 3, 4],
      [5, 6, 7],
    ]);
    assert.equal(await log.maxNotificationId(), 7);
  });
});
