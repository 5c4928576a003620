import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Subscription } from '../matching/subscription.js';
import type { EventType } from '../model/event-type.js';
import type { OrderBy } from '../model/status.js';
import { PartitionSelector, covers } from './partition-selection.js';
import type { SelectablePartition } from './partition-selection.js';

interface Partition extends SelectablePartition {
  readonly id: number;
}

function partition(id: number, types: EventType[], orderBy: OrderBy = 'timestamp'): Partition {
  return { id, orderBy, subscription: new Subscription(types) };
}

const ids = (partitions: readonly Partition[]) => partitions.map((p) => p.id);

describe('covers', () => {
  it('tells whether one subscription includes another', () => {
    const s = (types: EventType[]) => new Subscription(types);
    assert.equal(covers(s([['*']]), s([['a', '?']])), true);
    assert.equal(covers(s([['a', '*']]), s([['a', 'b']])), true);
    assert.equal(covers(s([['a', '?']]), s([['a', 'b']])), true);
    assert.equal(covers(s([['a', 'b']]), s([['a', '?']])), false);
    assert.equal(covers(s([['a', '*']]), s([['*']])), false);
  });
});

describe('PartitionSelector', () => {
  const all = partition(1, [['*']]);
  const a = partition(2, [['a', '*']]);
  const ax = partition(3, [
    ['a', 'x'],
    ['b', '*'],
  ]);
  const source = partition(4, [['*']], 'sourceTimestamp');
  const selector = new PartitionSelector([all, a, ax, source]);

  it('picks the narrowest partition that covers the query types', () => {
    assert.deepEqual(ids(selector.select('timestamp', [['a', 'y']])), [2]);
    assert.deepEqual(ids(selector.select('timestamp', [['a', 'x']])), [2]);
    assert.deepEqual(ids(selector.select('timestamp', [['c']])), [1]);
    assert.deepEqual(ids(selector.select('timestamp', null)), [1]);
  });

  it('respects the order by', () => {
    assert.deepEqual(ids(selector.select('sourceTimestamp', [['a', 'y']])), [4]);
  });

  it('merges partitions when none covers alone, leaving out covered ones', () => {
    const only = new PartitionSelector([a, ax, partition(5, [['a', 'x']])]);
    assert.deepEqual(
      ids(
        only.select('timestamp', [
          ['a', '*'],
          ['b', 'c'],
        ]),
      ),
      [2, 3],
    );
  });

  it('answers nothing when no partition shares a type with the query', () => {
    const only = new PartitionSelector([a]);
    assert.deepEqual(ids(only.select('timestamp', [['b']])), []);
    assert.deepEqual(ids(only.select('sourceTimestamp', null)), []);
  });

  it('takes the first of equally narrow covering partitions', () => {
    const twins = new PartitionSelector([partition(7, [['a', '*']]), partition(6, [['a', '*']])]);
    assert.deepEqual(ids(twins.select('timestamp', [['a', 'b']])), [7]);
  });
});
