/**
 * The backend contract: one definition of a correct backend, run against every implementation
 * (memory in the unit tier, LMDB/textlog/PostgreSQL in the integration tier).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { limitTests } from './backend-contract-limits.js';
import { lifecycleTests, serverQueryTests, timeseriesTests } from './backend-contract-queries.js';
import { session } from './events.js';
import { ids, openFixture } from './fixture.js';
import type { BackendStorage, Fixture } from './fixture.js';

/** Runs the contract as a `describe` block named after the backend. */
export function backendContract(name: string, makeStorage: () => Promise<BackendStorage>): void {
  describe(`backend contract: ${name}`, () => {
    describe('registration', () => registrationTests(makeStorage));
    describe('latest query', () => latestTests(makeStorage));
    describe('timeseries query', () => timeseriesTests(makeStorage));
    describe('server query', () => serverQueryTests(makeStorage));
    describe('lifecycle', () => lifecycleTests(makeStorage));
    describe('limits', () => limitTests(makeStorage));
  });
}

function registrationTests(makeStorage: () => Promise<BackendStorage>): void {
  it('reports (server, 0, 0) as the last id of an unknown server', async () => {
    const f = await openFixture(makeStorage);
    try {
      assert.deepEqual(await f.backend.getLastEventId(7), { server: 7, session: 0, instance: 0 });
    } finally {
      await f.dispose();
    }
  });

  it('returns registered events, tracks the last id per server, and calls onRegistered', async () => {
    const f = await openFixture(makeStorage);
    try {
      const batch = session(1, 1, [['a'], ['b']]);
      assert.deepEqual(await f.backend.register(batch), batch);
      assert.deepEqual(f.registered, [batch]);
      assert.deepEqual(await f.backend.getLastEventId(1), { server: 1, session: 1, instance: 2 });
      assert.deepEqual(await f.backend.getLastEventId(2), { server: 2, session: 0, instance: 0 });
    } finally {
      await f.dispose();
    }
  });

  it('calls onFlushed per batch in registration order once flushed', async () => {
    const f = await openFixture(makeStorage);
    try {
      const first = session(1, 1, [['a']]);
      const second = session(1, 2, [['b'], ['c']]);
      await f.backend.register(first);
      await f.backend.register(second);
      await f.backend.flush();
      assert.deepEqual(f.flushed.flat(), [...first, ...second]);
    } finally {
      await f.dispose();
    }
  });

  it('skips events whose id does not advance, and neither returns nor notifies them', async () => {
    const f = await openFixture(makeStorage);
    try {
      await f.backend.register(session(1, 2, [['a']]));
      const stale = session(1, 1, [['stale']]);
      const fresh = session(1, 3, [['fresh']]);
      const stored = await f.backend.register([...stale, ...fresh]);
      assert.deepEqual(stored, fresh);
      await f.backend.flush();
      assert.ok(f.registered.flat().every((e) => e.type[0] !== 'stale'));
      assert.ok(f.flushed.flat().every((e) => e.type[0] !== 'stale'));
      const all = await f.backend.query({ type: 'timeseries' });
      assert.ok(all.events.every((e) => e.type[0] !== 'stale'));
    } finally {
      await f.dispose();
    }
  });

  it('keeps events of several servers apart', async () => {
    const f = await openFixture(makeStorage);
    try {
      await f.backend.register(session(1, 1, [['a']]));
      await f.backend.register(session(2, 5, [['a']]));
      assert.deepEqual(await f.backend.getLastEventId(1), { server: 1, session: 1, instance: 1 });
      assert.deepEqual(await f.backend.getLastEventId(2), { server: 2, session: 5, instance: 1 });
    } finally {
      await f.dispose();
    }
  });
}

function latestTests(makeStorage: () => Promise<BackendStorage>): void {
  let f: Fixture;
  before(async () => {
    f = await openFixture(makeStorage);
    await f.backend.register(session(1, 1, [['a', 'x'], ['a', 'y'], ['b']]));
    await f.backend.register(session(1, 2, [['a', 'x']]));
  });
  after(() => f.dispose());

  it('returns the newest event of every type when no types are given', async () => {
    const result = await f.backend.query({ type: 'latest' });
    assert.deepEqual(ids(result).sort(), ['1/1/2', '1/1/3', '1/2/1']);
    assert.equal(result.moreFollows, false);
  });

  it('filters by exact and wildcard query types', async () => {
    const exact = await f.backend.query({ type: 'latest', eventTypes: [['a', 'x']] });
    assert.deepEqual(ids(exact), ['1/2/1']);
    const wild = await f.backend.query({ type: 'latest', eventTypes: [['a', '?']] });
    assert.deepEqual(ids(wild).sort(), ['1/1/2', '1/2/1']);
    const none = await f.backend.query({ type: 'latest', eventTypes: [] });
    assert.deepEqual(ids(none), []);
  });

  it('survives a flush unchanged', async () => {
    const before = ids(await f.backend.query({ type: 'latest' })).sort();
    await f.backend.flush();
    assert.deepEqual(ids(await f.backend.query({ type: 'latest' })).sort(), before);
  });
}
