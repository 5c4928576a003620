import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareEventIds, eventIdEquals } from './event-id.js';
import type { EventId } from './event-id.js';

const id = (server: number, session: number, instance: number): EventId => ({
  server,
  session,
  instance,
});
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('compareEventIds', () => {
  it('orders by server, then session, then instance', () => {
    const sorted = [id(0, 0, 0), id(0, 0, 1), id(0, 1, 0), id(0, 1, 2), id(1, 0, 0), id(2, 1, 1)];
    for (const [i, a] of sorted.entries()) {
      for (const [j, b] of sorted.entries()) {
        assert.equal(sign(compareEventIds(a, b)), sign(i - j), `${i} vs ${j}`);
        assert.equal(eventIdEquals(a, b), i === j);
      }
    }
  });

  it('compares values, not identity', () => {
    assert.equal(compareEventIds(id(1, 2, 3), id(1, 2, 3)), 0);
    assert.ok(eventIdEquals(id(1, 2, 3), id(1, 2, 3)));
  });
});
