import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { Subscription, createMemoryBackend, isEventumError } from '@eventum/core';
import type { RegisterEvent } from '@eventum/core';

import { createEngine } from './engine.js';
import type { ModuleInfo } from './module.js';
import { SourceType } from './source.js';

const eventer = { type: SourceType.Eventer, id: 1 } as const;

let deep: unknown = 0;
for (let i = 0; i < 600; i++) deep = [deep];
const tooDeep: RegisterEvent = { type: ['out'], payload: { type: 'json', data: deep as never } };
const tooBig: RegisterEvent = { type: ['out'], payload: { type: 'json', data: 'x'.repeat(2000) } };

/** An engine on the memory backend whose one module answers every `a` event with `output`. */
async function engineWith(t: TestContext, output?: RegisterEvent) {
  const backend = await createMemoryBackend();
  t.after(() => backend.close());
  const info: ModuleInfo = {
    create: () => ({
      subscription: new Subscription([['a']]),
      process: () => (output === undefined ? [] : [output]),
    }),
  };
  const modules = [{ info, config: null }];
  const engine = await createEngine({ backend, serverId: 1, modules, maxEventSize: 1000 });
  t.after(() => engine.close());
  return { engine, backend };
}

describe('engine: event limits', () => {
  it('refuses a request event too large or too deep with ERR_INVALID_ARGUMENT', async (t) => {
    const { engine } = await engineWith(t);
    for (const [event, reason] of [
      [tooBig, /exceeds the maximum event size of 1000 bytes/],
      [tooDeep, /nested deeper than 512 levels/],
    ] as const) {
      await assert.rejects(engine.register(eventer, [event]), (error) => {
        assert.ok(isEventumError(error, 'ERR_INVALID_ARGUMENT'));
        assert.match(error.message, reason);
        return true;
      });
    }
  });

  it('fails a session whose module adds an event too large or too deep, storing none of it', async (t) => {
    for (const output of [tooBig, tooDeep]) {
      const { engine, backend } = await engineWith(t, output);
      assert.equal(await engine.register(eventer, [{ type: ['a'] }]), null);
      const stored = await backend.query({ type: 'latest', eventTypes: [['a'], ['out']] });
      assert.deepEqual(stored.events, []);
    }
  });
});
