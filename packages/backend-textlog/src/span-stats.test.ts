import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { makeEvent } from '@eventum/testing';

import { statsFromJson, statsOf, statsToJson } from './span-stats.js';

describe('textlog span stats', () => {
  it('keeps the id range per server and the source-timestamp range, and round-trips', () => {
    const stats = statsOf([
      makeEvent(1, 2, 5, ['a'], { sourceTimestamp: { s: 10, us: 5 } }),
      makeEvent(2, 1, 1, ['a']),
      makeEvent(1, 2, 3, ['a'], { sourceTimestamp: { s: -4, us: 0 } }),
      makeEvent(1, 3, 1, ['a'], { sourceTimestamp: { s: 10, us: 4 } }),
    ]);
    assert.deepEqual(stats.servers.get(1), {
      min: { server: 1, session: 2, instance: 3 },
      max: { server: 1, session: 3, instance: 1 },
    });
    assert.deepEqual(stats.servers.get(2)?.max, { server: 2, session: 1, instance: 1 });
    assert.deepEqual(
      [stats.sourceMin, stats.sourceMax],
      [
        { s: -4, us: 0 },
        { s: 10, us: 5 },
      ],
    );
    const json = JSON.parse(JSON.stringify(statsToJson(stats))) as ReturnType<typeof statsToJson>;
    assert.deepEqual(statsFromJson(json), stats);
    const none = statsOf([makeEvent(3, 1, 1, ['a'])]);
    assert.equal(statsToJson(none).source, null);
    assert.deepEqual(statsFromJson(statsToJson(none)), none);
  });
});
