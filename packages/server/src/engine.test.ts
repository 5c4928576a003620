import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import {
  ResourceGroup,
  Subscription,
  createMemoryBackend,
  deferred,
  isEventumError,
} from '@eventum/core';
import type { Backend, Event, EventId, Resource } from '@eventum/core';

import { createEngine } from './engine.js';
import type { EngineOptions } from './engine-options.js';
import type { EngineApi, Module, ModuleInfo } from './module.js';
import { SourceType } from './source.js';
import type { Source } from './source.js';

const serverId = 7;
const eventer: Source = { type: SourceType.Eventer, id: 3 };

async function open(t: TestContext, options: Partial<EngineOptions> = {}) {
  const backend = await createMemoryBackend();
  t.after(() => backend.close());
  const engine = await createEngine({ backend, serverId, ...options });
  t.after(() => engine.close());
  return { backend, engine };
}

async function ownEvents(backend: Backend): Promise<readonly Event[]> {
  return (await backend.query({ type: 'server', serverId })).events;
}

function idOf(event: Event | undefined): EventId | undefined {
  return event?.id;
}

/** A module recording what the engine gives it; `create` arguments land in `created`. */
function recordingInfo(created: { config: unknown; engine: EngineApi; source: Source }[]) {
  const processed: [Source, Event][] = [];
  const sessions: string[] = [];
  const info: ModuleInfo = {
    create(config, engine, source): Module {
      created.push({ config, engine, source });
      return {
        subscription: Subscription.all,
        process: (from, event) => void processed.push([from, event]),
        onSessionStart: (id) => void sessions.push(`start ${id}`),
        onSessionStop: (id) => void sessions.push(`stop ${id}`),
      };
    },
  };
  return { info, processed, sessions };
}

describe('engine', () => {
  it('registers STARTED as (server, 1, 1) and STOPPED as (server, 2, 1) without other traffic', async (t) => {
    const { backend, engine } = await open(t);
    await engine.close();
    const events = await ownEvents(backend);
    assert.deepEqual(events.map(idOf), [
      { server: serverId, session: 1, instance: 1 },
      { server: serverId, session: 2, instance: 1 },
    ]);
    assert.deepEqual(
      events.map((e) => [e.type, e.payload, e.sourceTimestamp]),
      [
        [['event', '7', 'engine'], { type: 'json', data: 'STARTED' }, null],
        [['event', '7', 'engine'], { type: 'json', data: 'STOPPED' }, null],
      ],
    );
  });

  it('continues session numbering after the last event stored in the backend', async (t) => {
    const backend = await createMemoryBackend();
    t.after(() => backend.close());
    await (await createEngine({ backend, serverId })).close();
    const engine = await createEngine({ backend, serverId });
    t.after(() => engine.close());
    const [event] = (await engine.register(eventer, [{ type: ['a'] }])) ?? [];
    assert.deepEqual(event?.id, { server: serverId, session: 4, instance: 1 });
  });

  it('creates modules in configuration order with their config, the engine and Source(module, i)', async (t) => {
    const created: { config: unknown; engine: EngineApi; source: Source }[] = [];
    const { info } = recordingInfo(created);
    const { engine } = await open(t, {
      modules: [
        { info, config: { name: 'first' } },
        { info, config: { name: 'second' } },
      ],
    });
    assert.deepEqual(
      created.map((c) => [c.config, c.source]),
      [
        [{ name: 'first' }, { type: 'module', id: 0 }],
        [{ name: 'second' }, { type: 'module', id: 1 }],
      ],
    );
    assert.ok(created.every((c) => c.engine === engine));
    assert.equal(engine.serverId, serverId);
  });

  it('lets modules process STARTED from Source(engine, 0) in session 1', async (t) => {
    const { info, processed, sessions } = recordingInfo([]);
    const { engine } = await open(t, { modules: [{ info, config: null }] });
    await engine.register(eventer, [{ type: ['a'] }]);
    const [source, event] = processed[0] ?? [];
    assert.deepEqual(source, { type: 'engine', id: 0 });
    assert.deepEqual(event?.id, { server: serverId, session: 1, instance: 1 });
    assert.deepEqual(event?.payload, { type: 'json', data: 'STARTED' });
    assert.deepEqual(sessions, ['start 1', 'stop 1', 'start 2', 'stop 2']);
  });

  it('returns [] for an empty registration without opening a session', async (t) => {
    const { info, sessions } = recordingInfo([]);
    const { engine } = await open(t, { modules: [{ info, config: null }] });
    assert.deepEqual(await engine.register(eventer, []), []);
    await engine.register(eventer, [{ type: ['a'] }]);
    assert.deepEqual(sessions, ['start 1', 'stop 1', 'start 2', 'stop 2']);
  });

  it('rejects a malformed register event with ERR_INVALID_ARGUMENT', async (t) => {
    const { engine } = await open(t);
    const bad = { type: 'a/b' } as unknown as { type: string[] };
    await assert.rejects(engine.register(eventer, [bad]), (e) =>
      isEventumError(e, 'ERR_INVALID_ARGUMENT'),
    );
  });

  it('fails queued registrations with ERR_CLOSED on close and refuses new ones', async (t) => {
    const gate = deferred<void>();
    const info: ModuleInfo = {
      create: () => ({ subscription: new Subscription([['slow']]), process: () => gate.promise }),
    };
    const { engine } = await open(t, { modules: [{ info, config: null }] });
    const inFlight = engine.register(eventer, [{ type: ['slow'] }]);
    const queued = engine.register(eventer, [{ type: ['queued'] }]);
    const isClosed = (e: unknown) => isEventumError(e, 'ERR_CLOSED');
    const closing = engine.close();
    await assert.rejects(queued, isClosed);
    await assert.rejects(inFlight, isClosed);
    await assert.rejects(engine.register(eventer, [{ type: ['late'] }]), isClosed);
    gate.resolve();
    await closing;
  });

  it('fails registrations waiting for queue space with ERR_CLOSED', async (t) => {
    const gate = deferred<void>();
    const info: ModuleInfo = {
      create: () => ({ subscription: new Subscription([['slow']]), process: () => gate.promise }),
    };
    const { engine } = await open(t, { modules: [{ info, config: null }], registerQueueSize: 1 });
    const results = [['slow'], ['queued'], ['waiting']].map((type) =>
      engine.register(eventer, [{ type }]).then(
        () => 'ok',
        (e: unknown) => (isEventumError(e, 'ERR_CLOSED') ? 'closed' : 'other'),
      ),
    );
    await engine.close();
    gate.resolve();
    assert.deepEqual(await Promise.all(results), ['closed', 'closed', 'closed']);
  });

  it('closes when a module closes on its own, and closes the modules when it closes', async (t) => {
    const moduleClosed = deferred<undefined>();
    const closeCalls: string[] = [];
    const info: ModuleInfo = {
      create: (config) => ({
        subscription: Subscription.empty,
        process: () => null,
        close: () => void closeCalls.push(String(config)),
        ...(config === 'a' ? { closed: moduleClosed.promise } : {}),
      }),
    };
    const { backend, engine } = await open(t, {
      modules: [
        { info, config: 'a' },
        { info, config: 'b' },
      ],
    });
    moduleClosed.resolve(undefined);
    const reason = await engine.closed;
    assert.ok(isEventumError(reason, 'ERR_CLOSED'));
    assert.match(reason.message, /module\/0 closed/);
    // The module that closed itself goes first; the rest close in reverse configuration order.
    assert.deepEqual(closeCalls, ['a', 'b']);
    const events = await ownEvents(backend);
    assert.deepEqual(events.at(-1)?.payload, { type: 'json', data: 'STOPPED' });
  });

  it('accepts a Resource as a module and closes it with the engine', async (t) => {
    const groups: ResourceGroup[] = [];
    class TickerModule implements Module, Resource {
      readonly subscription = Subscription.empty;
      readonly #group = new ResourceGroup();
      constructor() {
        groups.push(this.#group);
      }
      get isClosed(): boolean {
        return this.#group.isClosed;
      }
      get closed(): Promise<Error | undefined> {
        return this.#group.closed;
      }
      close(reason?: Error): Promise<void> {
        return this.#group.close(reason);
      }
      async [Symbol.asyncDispose](): Promise<void> {
        await this.close();
      }
      process(): null {
        return null;
      }
    }
    const info: ModuleInfo = { create: () => Promise.resolve(new TickerModule()) };
    const { engine } = await open(t, { modules: [{ info, config: null }] });
    assert.equal(groups[0]?.isClosed, false);
    await engine.close();
    assert.equal(groups[0]?.isClosed, true);
    assert.equal(await engine.closed, undefined);
  });

  it('closes modules in reverse configuration order', async (t) => {
    const closeCalls: unknown[] = [];
    const info: ModuleInfo = {
      create: (config) => ({
        subscription: Subscription.empty,
        process: () => null,
        close: () => void closeCalls.push(config),
      }),
    };
    const { engine } = await open(t, { modules: [0, 1, 2].map((config) => ({ info, config })) });
    await engine.close();
    assert.deepEqual(closeCalls, [2, 1, 0]);
  });

  it('closes the modules already created when a later create fails, and registers nothing', async (t) => {
    const backend = await createMemoryBackend();
    t.after(() => backend.close());
    let closedFirst = false;
    const ok: ModuleInfo = {
      create: () => ({
        subscription: Subscription.all,
        process: () => null,
        close: () => void (closedFirst = true),
      }),
    };
    const failing: ModuleInfo = {
      create: () => Promise.reject(new Error('no database')),
    };
    const modules = [
      { info: ok, config: null },
      { info: failing, config: null },
    ];
    await assert.rejects(
      createEngine({ backend, serverId, modules }),
      /module\/1 create: no database/,
    );
    assert.ok(closedFirst);
    assert.deepEqual(await ownEvents(backend), []);
  });

  it('passes query, getClientNames and restart through to the backend, eventer server and runner', async (t) => {
    let restarts = 0;
    const names: [Source, string][] = [[eventer, 'client-a']];
    const { engine } = await open(t, {
      eventerServer: { getClientNames: () => names },
      onRestart: () => void (restarts += 1),
    });
    await engine.register(eventer, [{ type: ['x'] }]);
    const result = await engine.query({ type: 'latest', eventTypes: [['x']] });
    assert.deepEqual(
      result.events.map((e) => e.type),
      [['x']],
    );
    assert.deepEqual([...engine.getClientNames()], names);
    engine.restart();
    assert.equal(restarts, 1);
  });
});
