import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { openApplication } from '../open-application.js';
import { Follower } from './follower.js';
import { localLeaderLog } from './leader-log.js';
import { ConcurrentRunner, SingleThreadedRunner } from './local-runners.js';
import { listParked, replayParked, skipParked } from './parked.js';
import { settle } from './runner.js';
import { System } from './system.js';
import { Copier, Source, Tally, tally } from './test-apps.js';

const system = new System([[Source, Copier]]);
const memory = { PERSISTENCE_MODULE: 'memory' };

async function pair(): Promise<{ source: Source; copier: Copier; close: () => Promise<void> }> {
  const source = (await openApplication({
    name: 'source',
    env: memory,
    construct: (o) => new Source(o),
  })) as Source;
  const copier = (await openApplication({
    name: 'copier',
    env: memory,
    construct: (o) => new Copier(o),
  })) as Copier;
  return {
    source,
    copier,
    close: async () => void (await Promise.all([source.close(), copier.close()])),
  };
}

describe('Follower', () => {
  it('processes each event once although two followers of one application race', async () => {
    const { source, copier, close } = await pair();
    for (let i = 0; i < 30; i++) await source.write(`n${i}`, `text ${i}`);
    const log = localLeaderLog(source, true);
    const a = new Follower(copier, [log], { batchSize: 7 });
    const b = new Follower(copier, [log], { batchSize: 5 });
    await Promise.all([a.init(), b.init()]);
    await Promise.all([a.drain(), b.drain()]);
    assert.equal((await copier.copied()).length, 30);
    assert.equal(await copier.events.recorder.maxTrackingId('source'), 30);
    await Promise.all([a.close(), b.close(), close()]);
  });

  it('trusts pushed notifications only when previousMax is where it is (gap → reads the log)', async () => {
    const { source, copier, close } = await pair();
    const follower = new Follower(copier, [localLeaderLog(source, true)]);
    await follower.init();
    await source.write('a', 'one');
    const [stored] = await source.events.recorder.selectNotifications({ start: 1, limit: 1 });
    const forged = {
      ...stored!,
      state: source.events.mapper.toStored({
        ...source.events.mapper.toDomain(stored!),
        data: { text: 'pushed' },
      }).state,
    };
    // previousMax 0 is where the follower is: the pushed copy is processed without a read.
    follower.receive({ leader: 'source', previousMax: 0, max: 1, notifications: [forged] });
    await follower.drain();
    assert.deepEqual(await copier.copied(), ['pushed']);
    await source.write('b', 'two');
    await source.write('c', 'three');
    const third = (await source.events.recorder.selectNotifications({ start: 3, limit: 1 }))[0]!;
    // The prompt of notification 2 was lost: previousMax 2 ≠ 1, so it reads 2 and 3.
    follower.receive({ leader: 'source', previousMax: 2, max: 3, notifications: [third] });
    await follower.drain();
    assert.deepEqual(await copier.copied(), ['pushed', 'two', 'three']);
    await Promise.all([follower.close(), close()]);
  });

  it('retries with back-off, then parks; a parked event can be listed, replayed once, skipped', async () => {
    await using runner = new ConcurrentRunner(system, {
      env: memory,
      errorPolicy: { retries: 2, backoffMs: 1 },
    });
    await runner.start();
    const copier = runner.get(Copier);
    copier.failing.add('bad').add('worse');
    await runner.call('source', 'write', 'a', 'good');
    const bad = (await runner.call('source', 'write', 'b', 'bad')) as number;
    const worse = (await runner.call('source', 'write', 'c', 'worse')) as number;
    await runner.call('source', 'write', 'd', 'after');
    await settle(runner, 10_000);
    assert.equal(copier.seen, 2 + 3 + 3);
    assert.deepEqual(await copier.copied(), ['good', 'after']);
    const parked = await listParked(copier);
    assert.deepEqual(
      parked.map((p) => [p.notificationId, p.attempts, p.resolution]),
      [
        [bad, 3, undefined],
        [worse, 3, undefined],
      ],
    );
    assert.match(
      parked[0]!.error,
      /copier failed on source's notification 2 \(Noted\): cannot copy bad/,
    );
    copier.failing.clear();
    const log = localLeaderLog(runner.app('source'), true);
    await replayParked(copier, log, bad);
    await assert.rejects(replayParked(copier, log, bad), (e) => isEventumError(e, 'ERR_CONFLICT'));
    await assert.rejects(replayParked(copier, log, 1), (e) => isEventumError(e, 'ERR_CONFLICT'));
    await skipParked(copier, 'source', worse);
    assert.deepEqual(await copier.copied(), ['good', 'after', 'bad']);
    assert.deepEqual(await listParked(copier), []);
    assert.equal((await listParked(copier, { includeResolved: true })).length, 2);
  });

  it('stops on a failure with then: stop, reports it, and resumes from the failed event', async () => {
    await using runner = new ConcurrentRunner(system, {
      env: memory,
      errorPolicy: { retries: 0, then: 'stop' },
    });
    await runner.start();
    const copier = runner.get(Copier);
    copier.failing.add('bad');
    await runner.call('source', 'write', 'a', 'bad');
    await runner.call('source', 'write', 'b', 'good');
    await assert.rejects(runner.waitFor('copier', 2, 200), (e) => isEventumError(e, 'ERR_TIMEOUT'));
    const [status] = await runner.status();
    assert.deepEqual([status!.state, status!.position, status!.lag], ['stopped', 0, 2]);
    assert.equal(runner.errors.length, 1);
    assert.ok(isEventumError(runner.errors[0], 'ERR_PROCESSING'));
    copier.failing.clear();
    (runner as unknown as { followers: Map<string, Follower> }).followers.get('copier')!.resume();
    await runner.waitFor('copier', 2, 10_000);
    assert.deepEqual(await copier.copied(), ['bad', 'good']);
  });

  it('catches up on the safety timer when a commit prompted nobody', async () => {
    await using runner = new ConcurrentRunner(system, { env: memory, pollMs: 20 });
    await runner.start();
    const source = runner.app('source');
    // A write straight to the recorder bypasses the commit listener: no prompt.
    const note = {
      type: 'Noted',
      data: { text: 'quiet' },
      meta: { eventId: 'e1', originatorId: 'q', originatorVersion: 1, timestamp: new Date() },
    };
    const [id] = await source.events.recorder.insertEvents([source.events.mapper.toStored(note)]);
    await runner.waitFor('copier', id!, 10_000);
    assert.deepEqual(await runner.get(Copier).copied(), ['quiet']);
  });

  it('single-threaded: a policy failure rejects the command that caused it; the next one retries', async () => {
    await using runner = new SingleThreadedRunner(system, { env: memory });
    await runner.start();
    const copier = runner.get(Copier);
    copier.failing.add('bad');
    await assert.rejects(runner.call('source', 'write', 'a', 'bad'), (e) =>
      isEventumError(e, 'ERR_PROCESSING'),
    );
    assert.equal(await runner.app('source').events.recorder.maxNotificationId(), 1);
    copier.failing.clear();
    await runner.call('source', 'write', 'b', 'good');
    assert.deepEqual(await copier.copied(), ['bad', 'good']);
    await assert.rejects(runner.start(), /started already/);
  });

  it('single-threaded: each of concurrent commands resolves after its own cascade', async () => {
    await using runner = new SingleThreadedRunner(system, { env: memory });
    await runner.start();
    const copier = runner.get(Copier);
    const texts = Array.from({ length: 8 }, (_, i) => `t${i}`);
    await Promise.all(
      texts.map(async (text) => {
        await runner.call('source', 'write', text, text);
        assert.ok((await copier.copied()).includes(text), `${text} copied when its write resolved`);
      }),
    );
  });

  it('runs a decider in a policy: its events are stored with the tracking record', async () => {
    await using runner = new ConcurrentRunner(new System([[Source, Tally]]), { env: memory });
    await runner.start();
    const positions: number[] = [];
    for (let i = 0; i < 10; i++)
      positions.push((await runner.call('source', 'write', `n${i}`, `t${i}`)) as number);
    await runner.waitFor('tally', positions.at(-1)!, 10_000);
    const app = runner.app('tally');
    assert.deepEqual(await app.load(tally, 'tally'), { state: { count: 10 }, version: 10 });
    assert.equal(await app.events.recorder.maxTrackingId('source'), 10);
    const [first] = await app.events.get('tally', { limit: 1 });
    const [note] = await runner.app('source').events.get('n0');
    assert.equal(first!.meta.causationId, note!.meta.eventId);
  });
});
