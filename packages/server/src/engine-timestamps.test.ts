import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createMemoryBackend } from '@eventum/core';
import type { Timestamp } from '@eventum/core';

import { createEngine } from './engine.js';
import { SourceType } from './source.js';

const serverId = 3;
const source = { type: SourceType.Eventer, id: 1 };
const event = { type: ['a'], payload: null };

/** A clock that returns `readings` in turn, then repeats the last one. */
function scriptedClock(readings: Timestamp[]): () => Timestamp {
  let next = 0;
  return () => readings[Math.min(next++, readings.length - 1)]!;
}

describe('engine session timestamps', () => {
  it('strictly increase when the clock repeats a reading or steps back', async (t) => {
    const backend = await createMemoryBackend();
    t.after(() => backend.close());
    const clock = scriptedClock([
      { s: 100, us: 5 }, // STARTED
      { s: 100, us: 5 }, // the same reading again
      { s: 99, us: 0 }, // the wall clock stepped back
      { s: 100, us: 999_999 },
      { s: 100, us: 999_999 },
      { s: 101, us: 40 },
    ]);
    const engine = await createEngine({ backend, serverId, clock });
    for (let i = 0; i < 5; i++) await engine.register(source, [event]);
    await engine.close();
    const { events } = await backend.query({ type: 'server', serverId });
    assert.deepEqual(
      events.map((e) => e.timestamp),
      [
        { s: 100, us: 5 },
        { s: 100, us: 6 },
        { s: 100, us: 7 },
        { s: 100, us: 999_999 },
        { s: 101, us: 0 },
        { s: 101, us: 40 },
        { s: 101, us: 41 }, // STOPPED, the clock repeating its last reading
      ],
    );
  });

  it('differ for consecutive sessions with the default clock', async (t) => {
    const backend = await createMemoryBackend();
    t.after(() => backend.close());
    const engine = await createEngine({ backend, serverId });
    await Promise.all(Array.from({ length: 200 }, () => engine.register(source, [event])));
    await engine.close();
    const { events } = await backend.query({ type: 'server', serverId, maxResults: 1000 });
    const keys = new Set(events.map((e) => `${e.timestamp.s}.${e.timestamp.us}`));
    assert.equal(keys.size, events.length);
    assert.equal(events.length, 202);
  });
});
