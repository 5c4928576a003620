import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { createMemoryBackend, deferred } from '@eventum/core';
import type { Backend, Deferred, Durability, Event } from '@eventum/core';

import { createEngine } from './engine.js';
import { SourceType } from './source.js';
import type { Source } from './source.js';

const serverId = 3;
const eventer: Source = { type: SourceType.Eventer, id: 1 };

/**
 * The memory backend with what a persistent backend adds: a durability mode, a reserved session
 * ceiling kept in `reservations` (the "disk", which survives the backend), and `flush()` calls
 * that wait for `releaseFlush()` while `holdFlushes` is set.
 */
async function persistentBackend(
  t: TestContext,
  durability: Durability,
  reservations: Map<number, number>,
) {
  const inner = await createMemoryBackend();
  t.after(() => inner.close());
  const log = { registered: 0, flushes: 0, reserved: [] as number[] };
  let gate: Deferred<void> | null = null;
  const backend: Backend = {
    durability,
    get isClosed() {
      return inner.isClosed;
    },
    closed: inner.closed,
    close: (reason) => inner.close(reason),
    [Symbol.asyncDispose]: () => inner.close(),
    getLastEventId: (server) => inner.getLastEventId(server),
    query: (params) => inner.query(params),
    register(events) {
      log.registered++;
      return inner.register(events);
    },
    async flush() {
      log.flushes++;
      if (gate !== null) await gate.promise;
      return inner.flush();
    },
    getReservedSession: (server) => Promise.resolve(reservations.get(server) ?? 0),
    reserveSessions(server, session) {
      log.reserved.push(session);
      reservations.set(server, session);
      return Promise.resolve();
    },
  };
  return {
    backend,
    log,
    holdFlushes: () => void (gate = deferred<void>()),
    releaseFlushes: () => gate?.resolve(),
  };
}

const one = (data: number) => [{ type: ['d'], payload: { type: 'json' as const, data } }];
const sessionOf = (events: readonly Event[] | null) => events?.[0]?.id.session;

describe('engine durability', () => {
  it('committed: answers only after a flush, while later sessions go on being stored', async (t) => {
    const { backend, log, holdFlushes, releaseFlushes } = await persistentBackend(
      t,
      'committed',
      new Map(),
    );
    const engine = await createEngine({ backend, serverId });
    t.after(() => engine.close());
    holdFlushes();
    const answered: number[] = [];
    const answers = [1, 2, 3, 4, 5].map((n) =>
      engine.register(eventer, one(n)).then((events) => {
        answered.push(n);
        return events;
      }),
    );
    // Every session reaches the backend although no flush has finished: they share commits.
    while (log.registered < 6) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(answered, []);
    releaseFlushes();
    const sessions = (await Promise.all(answers)).map(sessionOf);
    assert.deepEqual(sessions, [2, 3, 4, 5, 6]);
  });

  it('buffered: answers without waiting for a flush', async (t) => {
    const { backend, log, holdFlushes } = await persistentBackend(t, 'buffered', new Map());
    const engine = await createEngine({ backend, serverId });
    t.after(() => engine.close());
    holdFlushes();
    assert.equal(sessionOf(await engine.register(eventer, one(1))), 2);
    assert.equal(log.flushes, 0);
  });

  it('reserves sessions ahead, starts above the reservation after a crash, gives back on close', async (t) => {
    const disk = new Map<number, number>();
    const first = await persistentBackend(t, 'buffered', disk);
    const engine = await createEngine({ backend: first.backend, serverId, sessionReservation: 4 });
    for (let n = 0; n < 4; n++) await engine.register(eventer, one(n));
    // STARTED is session 1, the registrations 2..5: the ceiling ran ahead of them.
    assert.ok((disk.get(serverId) ?? 0) >= 5 + 1);
    const ceiling = disk.get(serverId) ?? 0;

    // A crash: the engine is gone without closing and its events with it (a new empty backend),
    // but the reservation is on disk.
    const second = await persistentBackend(t, 'buffered', disk);
    const restarted = await createEngine({ backend: second.backend, serverId });
    const next = await restarted.register(eventer, one(9));
    assert.equal(sessionOf(next), ceiling + 2); // STARTED took ceiling + 1
    await restarted.close();
    // A clean stop gives back what it did not use: the ceiling is the STOPPED session.
    assert.equal(disk.get(serverId), ceiling + 3);
    await engine.close();
  });
});
