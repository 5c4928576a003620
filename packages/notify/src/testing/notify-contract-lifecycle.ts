import assert from 'node:assert/strict';
import { it } from 'node:test';

import { createInProcessBus } from '@eventum/core';
import type { Bus } from '@eventum/core';

import { LifecycleState } from '../ion.js';
import { openWithLifecycle } from '../lifecycle.js';
import { make, take } from './helpers.js';
import type { OpenBus } from './helpers.js';

const { READY, ACTIVE, TERMINATED, ERROR } = LifecycleState;

async function setup(open: OpenBus) {
  const bus = await open();
  const notifier = make(bus);
  const sub = notifier.subscribe({ kind: 'process-lifecycle' });
  await sub.ready;
  const states = async (n: number) =>
    (await take(sub, n)).map((x) => [x.origin, x.data.state, x.data.description]);
  return { bus, notifier, states };
}

export function lifecycleTests(open: OpenBus): void {
  it('a Resource that opts in announces READY, ACTIVE and TERMINATED with its name as origin', async () => {
    const { bus, notifier, states } = await setup(open);
    const order: string[] = [];
    const worker = await openWithLifecycle(
      notifier,
      'workers.w1',
      () => Promise.resolve(createInProcessBus()),
      {
        activate: () => void order.push('activate'),
      },
    );
    await worker.close();
    assert.deepEqual(order, ['activate']);
    assert.deepEqual(await states(3), [
      ['workers.w1', READY, undefined],
      ['workers.w1', ACTIVE, undefined],
      ['workers.w1', TERMINATED, undefined],
    ]);
    await bus.close();
  });

  it('announces ERROR with the reason when opening or activating fails, or when it closes on a failure', async () => {
    const { bus, notifier, states } = await setup(open);
    await assert.rejects(
      openWithLifecycle(notifier, 'p1', () => Promise.reject(new Error('no disk'))),
      /no disk/,
    );
    let opened: Bus | undefined;
    await assert.rejects(
      openWithLifecycle(notifier, 'p2', () => Promise.resolve((opened = createInProcessBus())), {
        activate: () => Promise.reject(new Error('port taken')),
      }),
      /port taken/,
    );
    assert.equal(opened?.isClosed, true);
    const crashing = await openWithLifecycle(notifier, 'p3', () =>
      Promise.resolve(createInProcessBus()),
    );
    await crashing.close(new Error('lost connection'));
    assert.deepEqual(await states(6), [
      ['p1', ERROR, 'no disk'],
      ['p2', READY, undefined],
      ['p2', ERROR, 'port taken'],
      ['p3', READY, undefined],
      ['p3', ACTIVE, undefined],
      ['p3', ERROR, 'lost connection'],
    ]);
    await bus.close();
  });

  it('refuses a bad origin before opening anything', async () => {
    const { bus, notifier } = await setup(open);
    let opened = false;
    await assert.rejects(
      openWithLifecycle(notifier, 'unknown', () => {
        opened = true;
        return Promise.resolve(createInProcessBus());
      }),
      { code: 'ERR_INVALID_ARGUMENT', field: 'origin' },
    );
    assert.equal(opened, false);
    await bus.close();
  });
}
