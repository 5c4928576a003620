import assert from 'node:assert/strict';
import { it } from 'node:test';

import { createInProcessBus, createNullBus } from '@eventum/core';

import { busContract } from './bus-contract.js';
import { takeEvents } from './bus-helpers.js';

busContract('in-process', (options) => Promise.resolve(createInProcessBus(options)));

it('in-process queue groups take turns', async () => {
  await using bus = createInProcessBus();
  const a = bus.subscribe('job', { queue: 'w' });
  const b = bus.subscribe('job', { queue: 'w' });
  for (let i = 0; i < 4; i++) bus.publish('job', { i });
  assert.deepEqual(
    (await takeEvents(a, 2)).map((e) => e.payload['i']),
    [0, 2],
  );
  assert.deepEqual(
    (await takeEvents(b, 2)).map((e) => e.payload['i']),
    [1, 3],
  );
});

it('the null bus accepts publishes and its subscriptions end at once', async () => {
  await using bus = createNullBus();
  bus.publish('a.b', { x: 1 });
  const sub = bus.subscribe('a.>');
  assert.equal((await sub[Symbol.asyncIterator]().next()).done, true);
  assert.equal(sub.isClosed, true);
  await bus.close();
  bus.publish('a.b', {});
});
