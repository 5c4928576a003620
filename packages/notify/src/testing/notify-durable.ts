import assert from 'node:assert/strict';
import { it } from 'node:test';

import { uniqueRoot } from '@eventum/testing';

import { make, nothingMore, take } from './helpers.js';
import type { OpenBus } from './helpers.js';

/** JetStream only: a named subscriber is durable. */
export function durableTests(open: OpenBus): void {
  it('a named subscriber keeps the notifications published while it was away; an anonymous one replays them from all', async () => {
    const prefix = `${uniqueRoot()}.events`;
    const queue = `d${uniqueRoot().replaceAll('.', '_')}`;
    const publisherBus = await open();
    try {
      const publisher = make(publisherBus, 'test', prefix).publisher('process-lifecycle', {
        origin: 'svc',
      });
      let bus = await open();
      let sub = make(bus, 'test', prefix).subscribe({ kind: 'process-lifecycle', queue });
      await sub.ready;
      publisher.publish({ state: 'READY' });
      assert.deepEqual(
        (await take(sub, 1)).map((n) => n.data.state),
        [2],
      );
      await bus.close();
      publisher.publish({ state: 'ACTIVE' });
      publisher.publish({ state: 'TERMINATED' });
      await publisherBus.flush();
      bus = await open();
      sub = make(bus, 'test', prefix).subscribe({ kind: 'process-lifecycle', queue });
      assert.deepEqual(
        (await take(sub, 2)).map((n) => n.data.state),
        [3, 4],
      );
      assert.ok(await nothingMore(sub));
      await bus.close();
      // An anonymous subscriber can replay what the stream kept, then goes on live.
      bus = await open();
      const replay = make(bus, 'test', prefix).subscribe({
        kind: 'process-lifecycle',
        from: 'all',
      });
      assert.deepEqual(
        (await take(replay, 3)).map((n) => n.data.state),
        [2, 3, 4],
      );
      await bus.close();
    } finally {
      await publisherBus.close();
    }
  });
}
