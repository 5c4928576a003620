/**
 * The notify contract: every rule of typed notifications, run against each bus transport
 * (in-process, NATS core, JetStream). Each test opens its own bus and subject prefix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NotificationError } from '../validate.js';
import { nothingMore, take, withNotifier } from './helpers.js';
import type { OpenBus } from './helpers.js';
import { lifecycleTests } from './notify-contract-lifecycle.js';
import { monitorTests } from './notify-contract-monitor.js';
import { routingTests } from './notify-contract-routing.js';

/** Runs the contract as a `describe` block named after the transport. */
export function notifyContract(name: string, open: OpenBus): void {
  describe(`notify contract: ${name}`, () => {
    describe('publishing', () => publishTests(open));
    describe('routing and subscribers', () => routingTests(open));
    describe('process lifecycle', () => lifecycleTests(open));
    describe('event monitor', () => monitorTests(open));
  });
}

function rejects(action: () => unknown, field: string, pattern: RegExp): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof NotificationError, String(error));
    assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
    assert.equal(error.field, field);
    assert.match(error.message, pattern);
    return true;
  });
}

function publishTests(open: OpenBus): void {
  it('publishes the envelope and the kind fields on <prefix>.<kind id>.<origin>, typed on receipt', () =>
    withNotifier(open, async (notifier) => {
      const sub = notifier.subscribe({ kind: 'process-lifecycle' });
      await sub.ready;
      const before = Date.now() / 1000;
      const id = notifier.publish('process-lifecycle', {
        origin: 'proc-7',
        state: 'ACTIVE',
        status: 'NO_CACHE',
        resourceId: 'r1',
        name: 'worker',
        description: 'started',
        userId: 'u1',
        body: 'b',
      });
      const [n] = await take(sub, 1);
      assert.ok(n);
      assert.equal(n.id, id);
      assert.equal(n.kind, 'process-lifecycle');
      assert.equal(n.kindId, 1052);
      assert.equal(n.topic, `${notifier.subjectPrefix}.1052.proc-7`);
      assert.equal(n.origin, 'proc-7');
      const { datetime, ...rest } = n.data;
      assert.ok(datetime >= before - 1 && datetime <= Date.now() / 1000 + 1);
      assert.deepEqual(rest, {
        origin: 'proc-7',
        state: 3,
        status: 4,
        resourceId: 'r1',
        name: 'worker',
        description: 'started',
        userId: 'u1',
        body: 'b',
      });
      assert.equal(notifier.stats.published, 1);
      assert.equal(notifier.stats.received, 1);
    }));

  it('takes enum members by name or by value, and keeps a given datetime', () =>
    withNotifier(open, async (notifier) => {
      const sub = notifier.subscribe({ origin: 'o' });
      await sub.ready;
      notifier.publish('resource-lifecycle', { origin: 'o', state: 2, datetime: 12.5 });
      notifier.publish('ingestion-processing', { origin: 'o', processingStep: 'DONE' });
      notifier.publish('ingestion-processing', { origin: 'o', processingStep: 'chunk' });
      notifier.publish('app-loader', { origin: 'o', state: 'STOPPED', appName: 'a' });
      const got = await take(sub, 4);
      assert.deepEqual(
        got.map((n) => [
          n.kind,
          (n.data as Record<string, unknown>)['state'] ??
            (n.data as Record<string, unknown>)['processingStep'],
        ]),
        [
          ['resource-lifecycle', 2],
          ['ingestion-processing', 'done'],
          ['ingestion-processing', 'chunk'],
          ['app-loader', 2],
        ],
      );
      assert.equal(got[0]?.data.datetime, 12.5);
    }));

  it('refuses an unknown enum name, an unknown field, a missing or unknown origin and a wrong type, naming the field, and publishes nothing', () =>
    withNotifier(open, async (notifier, bus) => {
      const sub = notifier.subscribe();
      await sub.ready;
      const publisher = notifier.publisher('process-lifecycle');
      const loose = publisher.publish as (input: Record<string, unknown>) => string;
      rejects(
        () => loose({ origin: 'p', state: 'NOEXIST' }),
        'state',
        /unknown member "NOEXIST" \(one of NEW, READY, ACTIVE, TERMINATED, ERROR\)/,
      );
      rejects(
        () => loose({ origin: 'p', state: 'READY', colour: 'red' }),
        'colour',
        /colour: unknown field/,
      );
      rejects(() => loose({ state: 'READY' }), 'origin', /origin: is required/);
      rejects(() => loose({ origin: 'unknown', state: 'READY' }), 'origin', /not "unknown"/);
      rejects(() => loose({ origin: 'a b', state: 'READY' }), 'origin', /without whitespace/);
      rejects(() => loose({ origin: 'p' }), 'state', /state: is required/);
      rejects(() => loose({ origin: 'p', state: 'READY', name: 7 }), 'name', /must be string/);
      rejects(() => loose({ origin: 'p', state: 99 }), 'state', /must be one of 1, 2, 3, 4, 5/);
      rejects(
        () => loose({ origin: 'p', state: 'READY', status: 'LOST' }),
        'status',
        /unknown member/,
      );
      const samples = notifier.publisher('dataset-supplement-added', { origin: 'ds' });
      rejects(
        () => samples.publish({ numberOfTimesteps: 2 ** 31 }),
        'numberOfTimesteps',
        /must be <=/,
      );
      assert.equal(bus.stats.published, 0);
      assert.equal(notifier.stats.published, 0);
      notifier.publish('logging-info', { origin: 'p', description: 'after the refusals' });
      const [n] = await take(sub, 1);
      assert.equal(n?.kind, 'logging-info');
      assert.ok(await nothingMore(sub));
    }));

  it('uses the publisher origin unless the notification names another; create() publishes nothing', () =>
    withNotifier(open, async (notifier, bus) => {
      const sub = notifier.subscribe({ kind: 'resource-lifecycle' });
      await sub.ready;
      const publisher = notifier.publisher('resource-lifecycle', { origin: 'species' });
      const created = publisher.create({ state: 'NEW' });
      assert.equal(created.origin, 'species');
      const loose = publisher.create as (input: Record<string, unknown>) => object;
      assert.deepEqual(Object.keys(loose({ state: 'NEW', description: undefined, datetime: 5 })), [
        'state',
        'datetime',
        'origin',
      ]);
      assert.equal(created.state, 1);
      assert.equal(bus.stats.published, 0);
      publisher.publish({ state: 'NEW' });
      publisher.publish({ state: 'NEW', origin: '1234-abcdefg' });
      const got = await take(sub, 2);
      assert.deepEqual(
        got.map((n) => [n.topic.slice(notifier.subjectPrefix.length + 1), n.data.origin]),
        [
          ['1001.species', 'species'],
          ['1001.1234-abcdefg', '1234-abcdefg'],
        ],
      );
    }));
}
