import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { Status, Subscription, createMemoryBackend, deferred, isEventumError } from '@eventum/core';
import type { Backend } from '@eventum/core';
import { waitFor } from '@eventum/testing';

import type { Engine } from './engine.js';
import { createEngineRunner } from './engine-runner.js';
import type { EngineRunnerOptions } from './engine-runner.js';
import type { ModuleInfo } from './module.js';
import { SourceType } from './source.js';

const serverId = 3;

/** A memory backend whose `flush` calls are logged into `log`, next to the status changes. */
async function loggingBackend(t: TestContext, log: string[]): Promise<Backend> {
  const inner = await createMemoryBackend();
  t.after(() => inner.close());
  return {
    get isClosed() {
      return inner.isClosed;
    },
    get closed() {
      return inner.closed;
    },
    close: (reason) => inner.close(reason),
    [Symbol.asyncDispose]: () => inner.close(),
    getLastEventId: (id) => inner.getLastEventId(id),
    register: (events) => inner.register(events),
    query: (params) => inner.query(params),
    flush: () => {
      log.push('flush');
      return inner.flush();
    },
  };
}

async function start(t: TestContext, options: Partial<EngineRunnerOptions> = {}) {
  const log: string[] = [];
  const engines: Engine[] = [];
  const backend = await loggingBackend(t, log);
  const runner = createEngineRunner({
    backend,
    serverId,
    eventerServer: {
      setStatus: (status, engine) => {
        log.push(engine === null ? status : `${status} with engine`);
        if (engine !== null) engines.push(engine);
      },
    },
    ...options,
  });
  t.after(() => runner.close());
  return { backend, runner, log, engines };
}

const operational =
  (log: string[], count = 1) =>
  () =>
    log.filter((entry) => entry === 'operational with engine').length === count;

describe('engine runner', () => {
  it('announces starting, then operational with the created engine', async (t) => {
    const { runner, log, engines } = await start(t);
    await waitFor(operational(log));
    assert.deepEqual(log, ['starting', 'operational with engine']);
    assert.equal(runner.status, Status.Operational);
    assert.equal(runner.engine, engines[0]);
  });

  it('restarts on engine.restart(): stopping, flush, standby, starting, operational', async (t) => {
    const { backend, log, engines } = await start(t);
    await waitFor(operational(log));
    const first = engines[0];
    first?.restart();
    await waitFor(operational(log, 2));
    assert.deepEqual(log, [
      'starting',
      'operational with engine',
      'stopping',
      'flush',
      'standby',
      'starting',
      'operational with engine',
    ]);
    assert.equal(first?.isClosed, true);
    assert.notEqual(engines[1], first);
    const stored = (await backend.query({ type: 'server', serverId })).events;
    assert.deepEqual(
      stored.map((e) => [e.id.session, e.payload?.type === 'json' ? e.payload.data : null]),
      [
        [1, 'STARTED'],
        [2, 'STOPPED'],
        [3, 'STARTED'],
      ],
    );
  });

  it('stops the engine, flushes and ends in standby when closed', async (t) => {
    const { runner, log, engines } = await start(t);
    await waitFor(operational(log));
    await runner.close();
    assert.deepEqual(log.slice(2), ['stopping', 'flush', 'standby']);
    assert.equal(engines[0]?.isClosed, true);
    assert.equal(runner.engine, null);
    assert.equal(await runner.closed, undefined);
  });

  it('closes itself after the stop sequence when the engine closes by itself', async (t) => {
    const moduleClosed = deferred<Error>();
    const info: ModuleInfo = {
      create: () => ({
        subscription: Subscription.empty,
        process: () => null,
        closed: moduleClosed.promise,
      }),
    };
    const { runner, log } = await start(t, { modules: [{ info, config: null }] });
    await waitFor(operational(log));
    moduleClosed.resolve(new Error('lost connection'));
    const reason = await runner.closed;
    assert.ok(isEventumError(reason, 'ERR_CLOSED'));
    assert.deepEqual(log.slice(2), ['stopping', 'flush', 'standby']);
  });

  it('closes with the creation error when the engine cannot be created', async (t) => {
    const info: ModuleInfo = { create: () => Promise.reject(new Error('bad module config')) };
    const { runner, log } = await start(t, { modules: [{ info, config: null }] });
    const reason = await runner.closed;
    assert.match(reason?.message ?? '', /module\/0 create: bad module config/);
    assert.deepEqual(log, ['starting', 'stopping', 'flush', 'standby']);
  });

  it('gives engines the eventer server client names', async (t) => {
    const client = { type: SourceType.Eventer, id: 9 } as const;
    const engines: Engine[] = [];
    await start(t, {
      eventerServer: {
        setStatus: (_status, engine) => void (engine !== null && engines.push(engine)),
        getClientNames: () => [[client, 'hmi']],
      },
    });
    await waitFor(() => engines.length === 1);
    assert.deepEqual([...(engines[0]?.getClientNames() ?? [])], [[client, 'hmi']]);
  });
});
