import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import {
  Subscription,
  compareTimestamps,
  createMemoryBackend,
  isEventumError,
} from '@eventum/core';
import type { Backend, Event, RegisterEvent, Timestamp } from '@eventum/core';

import { createEngine } from './engine.js';
import type { EngineOptions } from './engine-options.js';
import type { ModuleInfo, ProcessResult } from './module.js';
import { SourceType, formatSource } from './source.js';
import type { Source } from './source.js';

const serverId = 1;
const eventer: Source = { type: SourceType.Eventer, id: 5 };

/** Wraps the memory backend: records every `register` call and can refuse them. */
async function spyBackend(t: TestContext) {
  const inner = await createMemoryBackend();
  t.after(() => inner.close());
  const calls: (readonly Event[])[] = [];
  const state = { refuse: false, fail: false };
  const backend: Backend = {
    get isClosed() {
      return inner.isClosed;
    },
    get closed() {
      return inner.closed;
    },
    close: (reason) => inner.close(reason),
    [Symbol.asyncDispose]: () => inner.close(),
    getLastEventId: (id) => inner.getLastEventId(id),
    register: (events) => {
      calls.push(events);
      if (state.fail) return Promise.reject(new Error('disk on fire'));
      return state.refuse ? Promise.resolve(null) : inner.register(events);
    },
    query: (params) => inner.query(params),
    flush: () => inner.flush(),
  };
  return { backend, calls, state };
}

type Respond = (source: Source, event: Event) => ProcessResult;

/** A module logging `module/i saw <type> from <source> in <session>/<instance>` lines. */
function module(log: string[], subscription: Subscription, respond: Respond): ModuleInfo {
  return {
    create: (_config, _engine, self) => ({
      subscription,
      process: (source, event) => {
        const id = `${event.id.session}/${event.id.instance}`;
        log.push(
          `${formatSource(self)} saw ${event.type.join('/')} ${id} from ${formatSource(source)}`,
        );
        return respond(source, event);
      },
    }),
  };
}

async function open(t: TestContext, options: Partial<EngineOptions>) {
  const spy = await spyBackend(t);
  const engine = await createEngine({ backend: spy.backend, serverId, ...options });
  t.after(() => engine.close());
  return { ...spy, engine };
}

const only = (...types: string[][]) => new Subscription(types);

describe('engine sessions', () => {
  it('shows a module the request event, then its own output, in one session with one timestamp', async (t) => {
    const log: string[] = [];
    const info = module(log, only(['a'], ['b']), (_, e) =>
      e.type[0] === 'a' ? [{ type: ['b'] }] : [],
    );
    const { engine, calls } = await open(t, { modules: [{ info, config: null }] });
    const result = await engine.register(eventer, [{ type: ['a'] }]);
    assert.deepEqual(log, [
      'module/0 saw a 2/1 from eventer/5',
      'module/0 saw b 2/2 from module/0',
    ]);
    const session = calls[1] ?? [];
    assert.deepEqual(
      session.map((e) => [e.type, e.id.session, e.id.instance]),
      [
        [['a'], 2, 1],
        [['b'], 2, 2],
      ],
    );
    assert.deepEqual(session[0]?.timestamp, session[1]?.timestamp);
    assert.deepEqual(result, session.slice(0, 1));
  });

  it('processes breadth-first: every module sees each round in order, output feeds the next round', async (t) => {
    const log: string[] = [];
    const next = (from: string, to: string) => (_: Source, e: Event) =>
      e.type[0] === from ? [{ type: [to] }] : [];
    const modules = [
      { info: module(log, only(['a'], ['c']), next('a', 'b')), config: null },
      { info: module(log, only(['a'], ['b']), next('b', 'c')), config: null },
    ];
    const { engine, calls } = await open(t, { modules });
    const result = await engine.register(eventer, [{ type: ['a'] }, { type: ['a'] }]);
    assert.deepEqual(log.slice(-8), [
      'module/0 saw a 2/1 from eventer/5',
      'module/0 saw a 2/2 from eventer/5',
      'module/1 saw a 2/1 from eventer/5',
      'module/1 saw a 2/2 from eventer/5',
      'module/1 saw b 2/3 from module/0',
      'module/1 saw b 2/4 from module/0',
      'module/0 saw c 2/5 from module/1',
      'module/0 saw c 2/6 from module/1',
    ]);
    const session = calls[1] ?? [];
    assert.deepEqual(
      session.map((e) => `${e.type[0]}${e.id.instance}`),
      ['a1', 'a2', 'b3', 'b4', 'c5', 'c6'],
    );
    assert.deepEqual(
      result?.map((e) => e.id.instance),
      [1, 2],
    );
  });

  it('accepts generators, async generators and promises as process results', async (t) => {
    function* sync(): Iterable<RegisterEvent> {
      yield { type: ['from-generator'] };
    }
    async function* asyncGen(): AsyncIterable<RegisterEvent> {
      await Promise.resolve();
      yield { type: ['from-async-generator'] };
    }
    const modules = [
      { info: module([], only(['a']), () => sync()), config: null },
      { info: module([], only(['a']), () => asyncGen()), config: null },
      {
        info: module([], only(['a']), () => Promise.resolve([{ type: ['from-promise'] }])),
        config: null,
      },
    ];
    const { engine, calls } = await open(t, { modules });
    await engine.register(eventer, [{ type: ['a'] }]);
    assert.deepEqual(
      calls[1]?.map((e) => e.type[0]),
      ['a', 'from-generator', 'from-async-generator', 'from-promise'],
    );
  });

  it('calls the backend once per session', async (t) => {
    const info = module([], only(['a']), () => [{ type: ['b'] }, { type: ['c'] }]);
    const { engine, calls } = await open(t, { modules: [{ info, config: null }] });
    await engine.register(eventer, [{ type: ['a'] }]);
    await engine.register(eventer, [{ type: ['a'] }, { type: ['x'] }]);
    assert.deepEqual(
      calls.map((c) => c.length),
      [1, 3, 4],
    );
  });

  it('resolves null when the backend refuses the session', async (t) => {
    const { engine, state } = await open(t, {});
    await engine.register(eventer, [{ type: ['warm-up'] }]);
    state.refuse = true;
    assert.equal(await engine.register(eventer, [{ type: ['a'] }]), null);
  });

  it('closes the engine when the backend throws instead of returning null', async (t) => {
    const { engine, state } = await open(t, {});
    state.fail = true;
    await assert.rejects(engine.register(eventer, [{ type: ['a'] }]), (e) =>
      isEventumError(e, 'ERR_CLOSED'),
    );
    assert.match((await engine.closed)?.message ?? '', /disk on fire/);
  });

  it('fails the session when onSessionStart throws, still stopping the modules that started', async (t) => {
    const hooks: string[] = [];
    const hooked = (name: string, failStart: boolean): ModuleInfo => ({
      create: () => ({
        subscription: Subscription.all,
        process: () => null,
        onSessionStart: (id) => {
          hooks.push(`${name} start ${id}`);
          if (failStart && id === 2) throw new Error('not ready');
        },
        onSessionStop: (id) => void hooks.push(`${name} stop ${id}`),
      }),
    });
    const modules = [
      { info: hooked('m0', false), config: null },
      { info: hooked('m1', true), config: null },
      { info: hooked('m2', false), config: null },
    ];
    const { engine } = await open(t, { modules });
    hooks.length = 0;
    assert.equal(await engine.register(eventer, [{ type: ['a'] }]), null);
    assert.deepEqual(hooks, ['m0 start 2', 'm1 start 2', 'm0 stop 2', 'm1 stop 2']);
  });

  it('resolves null when a module throws and keeps serving later registrations', async (t) => {
    const info = module([], only(['a'], ['boom']), (_, e) => {
      if (e.type[0] === 'boom') throw new Error('module bug');
      return [];
    });
    const { engine, calls } = await open(t, { modules: [{ info, config: null }] });
    assert.equal(await engine.register(eventer, [{ type: ['boom'] }]), null);
    const result = await engine.register(eventer, [{ type: ['a'] }]);
    assert.deepEqual(
      result?.map((e) => e.type),
      [['a']],
    );
    assert.equal(calls.length, 2);
    assert.equal(engine.isClosed, false);
  });

  it('fails a session that exceeds maxSessionRounds instead of recursing forever', async (t) => {
    const info = module([], only(['loop']), () => [{ type: ['loop'] }]);
    const { engine, calls } = await open(t, {
      modules: [{ info, config: null }],
      maxSessionRounds: 10,
    });
    assert.equal(await engine.register(eventer, [{ type: ['loop'] }]), null);
    assert.equal(calls.length, 1);
    assert.equal((await engine.register(eventer, [{ type: ['other'] }]))?.length, 1);
  });

  it('fails a session whose modules add more than maxModuleEvents events', async (t) => {
    function* endless(): Iterable<RegisterEvent> {
      for (;;) yield { type: ['spam'] };
    }
    const info = module([], only(['a']), () => endless());
    const { engine } = await open(t, { modules: [{ info, config: null }], maxModuleEvents: 50 });
    assert.equal(await engine.register(eventer, [{ type: ['a'] }]), null);
  });

  it('keeps session timestamps strictly increasing when the clock steps back', async (t) => {
    const times: Timestamp[] = [
      { s: 100, us: 0 },
      { s: 50, us: 0 },
      { s: 200, us: 0 },
    ];
    let tick = 0;
    const clock = () => times[Math.min(tick++, times.length - 1)] ?? { s: 0, us: 0 };
    const { engine, calls } = await open(t, { clock });
    await engine.register(eventer, [{ type: ['a'] }]);
    await engine.register(eventer, [{ type: ['b'] }]);
    const stamps = calls.map((c) => c[0]?.timestamp);
    assert.deepEqual(stamps, [
      { s: 100, us: 0 },
      { s: 100, us: 1 },
      { s: 200, us: 0 },
    ]);
  });

  it('stamps a new engine’s sessions after the last stored one', async (t) => {
    const spy = await spyBackend(t);
    const first = await createEngine({
      backend: spy.backend,
      serverId,
      clock: () => ({ s: 500, us: 0 }),
    });
    await first.close();
    const second = await createEngine({
      backend: spy.backend,
      serverId,
      clock: () => ({ s: 10, us: 0 }),
    });
    t.after(() => second.close());
    const [event] = (await second.register(eventer, [{ type: ['a'] }])) ?? [];
    // STARTED and STOPPED of the first engine took 500.000000 and 500.000001, STARTED of the
    // second 500.000002.
    assert.ok(event !== undefined && compareTimestamps(event.timestamp, { s: 500, us: 3 }) === 0);
  });
});
