/**
 * The recorder contract: one definition of a correct event-sourcing recorder (aggregate,
 * application and process tiers), run against memory, LMDB and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { Notification, Recorders, StoredEvent } from '@eventum/core';

import { recorderConcurrencyTests } from './recorder-contract-concurrency.js';

/** Opens a fresh, empty set of recorders (each call a new store). */
export type OpenRecorders = () => Promise<Recorders>;

/** A stored event of `originatorId` at `version` with a fresh event id. */
export function storedEvent(
  originatorId: string,
  version: number,
  topic = 'Happened',
  eventId = randomUUID(),
): StoredEvent {
  return {
    originatorId,
    originatorVersion: version,
    topic,
    eventId,
    state: new TextEncoder().encode(`{"v":${version}}`),
  };
}

/** Runs `body` on fresh recorders and closes them afterwards. */
export async function withRecorders(
  open: OpenRecorders,
  body: (r: Recorders) => Promise<void>,
): Promise<void> {
  const recorders = await open();
  try {
    await body(recorders);
  } finally {
    await recorders.close();
  }
}

/** Asserts that `promise` rejects with an `EventumError` of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isEventumError(error) && error.code === code);
}

const ids = (ns: readonly Notification[]): number[] => ns.map((n) => n.id);

/** Runs the contract as a `describe` block named after the recorder. */
export function recorderContract(name: string, open: OpenRecorders): void {
  describe(`recorder contract: ${name}`, () => {
    describe('aggregate tier', () => aggregateTests(open));
    describe('application tier', () => applicationTests(open));
    describe('process tier', () => processTests(open));
    describe('concurrency', () => recorderConcurrencyTests(open));
  });
}

function aggregateTests(open: OpenRecorders): void {
  it('selects one originator’s events by version range, order and limit', () =>
    withRecorders(open, async ({ events }) => {
      await events.insertEvents([1, 2, 3, 4].map((v) => storedEvent('a', v)));
      await events.insertEvents([storedEvent('b', 1)]);
      const versions = async (o: Parameters<typeof events.selectEvents>[1]): Promise<number[]> =>
        (await events.selectEvents('a', o)).map((e) => e.originatorVersion);
      assert.deepEqual(await versions({}), [1, 2, 3, 4]);
      assert.deepEqual(await versions({ gt: 1, lte: 3 }), [2, 3]);
      assert.deepEqual(await versions({ desc: true, limit: 2 }), [4, 3]);
      assert.deepEqual(await versions({ lte: 2, desc: true, limit: 1 }), [2]);
      assert.deepEqual(await events.selectEvents('missing'), []);
      const [first] = await events.selectEvents('a', { limit: 1 });
      assert.equal(first?.topic, 'Happened');
      assert.deepEqual(new TextDecoder().decode(first?.state), '{"v":1}');
    }));

  it('rejects a stored version with ERR_CONFLICT and writes nothing of the batch', () =>
    withRecorders(open, async ({ events }) => {
      await events.insertEvents([storedEvent('a', 1)]);
      await rejectsWith(
        events.insertEvents([storedEvent('b', 1), storedEvent('a', 1)]),
        'ERR_CONFLICT',
      );
      assert.deepEqual(await events.selectEvents('b'), []);
      assert.equal(
        await events.maxNotificationId(),
        (await events.selectNotifications({ start: 1, limit: 10 }))[0]?.id,
      );
    }));

  it('rejects a batch repeating a position or an event id within itself', () =>
    withRecorders(open, async ({ events }) => {
      await rejectsWith(
        events.insertEvents([storedEvent('a', 1), storedEvent('a', 1)]),
        'ERR_CONFLICT',
      );
      const twin = storedEvent('a', 1);
      await rejectsWith(
        events.insertEvents([twin, { ...storedEvent('a', 2), eventId: twin.eventId }]),
        'ERR_CONFLICT',
      );
      assert.deepEqual(await events.selectEvents('a'), []);
    }));

  it('keeps streams without gaps: a version needs its predecessor, a batch ascends by 1', () =>
    withRecorders(open, async ({ events }) => {
      await rejectsWith(events.insertEvents([storedEvent('a', 2)]), 'ERR_CONFLICT');
      await events.insertEvents([storedEvent('a', 1)]);
      await rejectsWith(
        events.insertEvents([storedEvent('b', 1), storedEvent('a', 3)]),
        'ERR_CONFLICT',
      );
      await rejectsWith(
        events.insertEvents([storedEvent('a', 2), storedEvent('a', 4)]),
        'ERR_CONFLICT',
      );
      const tracked = events.insertEvents([storedEvent('a', 5)], {
        tracking: { applicationName: 'up', notificationId: 1 },
      });
      await rejectsWith(tracked, 'ERR_CONFLICT');
      assert.equal(await events.hasTrackingId('up', 1), false);
      assert.deepEqual(await events.selectEvents('b'), []);
      await events.insertEvents([storedEvent('b', 1), storedEvent('a', 2), storedEvent('a', 3)]);
      assert.equal((await events.selectEvents('a')).length, 3);
    }));

  it('treats a batch already stored under the same event ids as done (idempotent append)', () =>
    withRecorders(open, async ({ events }) => {
      const batch = [storedEvent('a', 1), storedEvent('a', 2)];
      const first = await events.insertEvents(batch);
      assert.deepEqual(await events.insertEvents(batch), first);
      assert.equal((await events.selectNotifications({ start: 1, limit: 10 })).length, 2);
      const moved = { ...storedEvent('b', 1), eventId: batch[0]!.eventId };
      await rejectsWith(events.insertEvents([moved]), 'ERR_CONFLICT');
      await rejectsWith(events.insertEvents([batch[0]!, storedEvent('a', 3)]), 'ERR_CONFLICT');
      assert.equal((await events.selectEvents('a')).length, 2);
    }));

  it('rejects malformed events with ERR_INVALID_ARGUMENT', () =>
    withRecorders(open, async ({ events }) => {
      await rejectsWith(events.insertEvents([storedEvent('a', 0)]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(events.insertEvents([storedEvent('', 1)]), 'ERR_INVALID_ARGUMENT');
      await rejectsWith(
        events.insertEvents([{ ...storedEvent('a', 1), eventId: '' }]),
        'ERR_INVALID_ARGUMENT',
      );
    }));

  it('keeps snapshots apart from events, newest first on request, without notification ids', () =>
    withRecorders(open, async ({ events, snapshots }) => {
      assert.deepEqual(await snapshots.insertEvents([storedEvent('a', 10, 'Account')]), []);
      await rejectsWith(snapshots.insertEvents([storedEvent('a', 10, 'Account')]), 'ERR_CONFLICT');
      await snapshots.insertEvents([storedEvent('a', 20, 'Account')]);
      const [newest] = await snapshots.selectEvents('a', { desc: true, limit: 1 });
      assert.equal(newest?.originatorVersion, 20);
      assert.equal(
        (await snapshots.selectEvents('a', { lte: 15, desc: true, limit: 1 }))[0]
          ?.originatorVersion,
        10,
      );
      assert.deepEqual(await events.selectEvents('a'), []);
      assert.equal(await events.maxNotificationId(), 0);
    }));

  it('fails calls after close with ERR_CLOSED', async () => {
    const recorders = await open();
    await recorders.close();
    await recorders.close();
    await rejectsWith(
      Promise.resolve().then(() => recorders.events.insertEvents([storedEvent('a', 1)])),
      'ERR_CLOSED',
    );
    await rejectsWith(
      Promise.resolve().then(() => recorders.events.maxNotificationId()),
      'ERR_CLOSED',
    );
  });
}

function applicationTests(open: OpenRecorders): void {
  it('returns ascending notification ids and reads them back in order', () =>
    withRecorders(open, async ({ events }) => {
      const first = await events.insertEvents([storedEvent('a', 1), storedEvent('b', 1, 'Other')]);
      const second = await events.insertEvents([storedEvent('a', 2)]);
      const all = [...first, ...second];
      assert.deepEqual(
        [...all].sort((x, y) => x - y),
        all,
      );
      const log = await events.selectNotifications({ start: 1, limit: 10 });
      assert.deepEqual(ids(log), all);
      assert.deepEqual(
        log.map((n) => `${n.originatorId}${n.originatorVersion}`),
        ['a1', 'b1', 'a2'],
      );
      assert.equal(await events.maxNotificationId(), all[2]);
    }));

  it('selects by start, limit, stop and topics', () =>
    withRecorders(open, async ({ events }) => {
      const all: number[] = [];
      for (let v = 1; v <= 6; v++)
        all.push(...(await events.insertEvents([storedEvent('a', v, v % 2 ? 'Odd' : 'Even')])));
      assert.deepEqual(
        ids(await events.selectNotifications({ start: all[2]!, limit: 2 })),
        all.slice(2, 4),
      );
      assert.deepEqual(
        ids(await events.selectNotifications({ start: all[1]!, limit: 10, stop: all[3]! })),
        all.slice(1, 4),
      );
      const even = await events.selectNotifications({ start: 1, limit: 10, topics: ['Even'] });
      assert.deepEqual(ids(even), [all[1], all[3], all[5]]);
      assert.deepEqual(
        ids(await events.selectNotifications({ start: 1, limit: 10, topics: ['Odd', 'Even'] })),
        all,
      );
      assert.deepEqual(await events.selectNotifications({ start: all[5]! + 1, limit: 10 }), []);
      assert.deepEqual(await events.selectNotifications({ start: 1, limit: 0 }), []);
    }));

  it('rejects reads with ERR_ABORTED once their signal fired', () =>
    withRecorders(open, async ({ events, snapshots }) => {
      await events.insertEvents([storedEvent('a', 1)]);
      const controller = new AbortController();
      controller.abort();
      const { signal } = controller;
      const aborted = (e: unknown) => (e as { code?: string }).code === 'ERR_ABORTED';
      await assert.rejects(events.selectEvents('a', { signal }), aborted);
      await assert.rejects(snapshots.selectEvents('a', { signal }), aborted);
      await assert.rejects(events.selectNotifications({ start: 1, limit: 5, signal }), aborted);
      assert.equal((await events.selectNotifications({ start: 1, limit: 5 })).length, 1);
    }));

  it('reports 0 as the greatest id of an empty log', () =>
    withRecorders(open, async ({ events }) => {
      assert.equal(await events.maxNotificationId(), 0);
      assert.deepEqual(await events.selectNotifications({ start: 1, limit: 10 }), []);
    }));
}

function processTests(open: OpenRecorders): void {
  it('records tracking with the events, and refuses the same tracking twice', () =>
    withRecorders(open, async ({ events }) => {
      assert.equal(await events.maxTrackingId('upstream'), 0);
      await events.insertEvents([storedEvent('a', 1)], {
        tracking: { applicationName: 'upstream', notificationId: 5 },
      });
      await events.insertEvents([], {
        tracking: { applicationName: 'upstream', notificationId: 9 },
      });
      await events.insertEvents([], { tracking: { applicationName: 'other', notificationId: 2 } });
      assert.equal(await events.maxTrackingId('upstream'), 9);
      assert.equal(await events.maxTrackingId('other'), 2);
      assert.equal(await events.hasTrackingId('upstream', 5), true);
      assert.equal(await events.hasTrackingId('upstream', 6), false);
      const again = events.insertEvents([storedEvent('b', 1)], {
        tracking: { applicationName: 'upstream', notificationId: 5 },
      });
      await rejectsWith(again, 'ERR_CONFLICT');
      assert.deepEqual(await events.selectEvents('b'), []);
    }));

  it('writes no tracking when the events conflict', () =>
    withRecorders(open, async ({ events }) => {
      await events.insertEvents([storedEvent('a', 1)]);
      const conflicting = events.insertEvents([storedEvent('a', 1)], {
        tracking: { applicationName: 'up', notificationId: 1 },
      });
      await rejectsWith(conflicting, 'ERR_CONFLICT');
      assert.equal(await events.hasTrackingId('up', 1), false);
      assert.equal(await events.maxTrackingId('up'), 0);
    }));
}
