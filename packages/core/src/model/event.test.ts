import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareEvents } from './event.js';
import type { Event } from './event.js';

function event(server: number, instance: number, s: number, name = ''): Event {
  return {
    id: { server, session: 1, instance },
    type: [name],
    timestamp: { s, us: 0 },
    sourceTimestamp: null,
    payload: null,
  };
}

describe('compareEvents', () => {
  it('gives 0 for the same id', () => {
    assert.equal(compareEvents(event(1, 1, 5), event(1, 1, 5)), 0);
  });

  it('orders events of one server by id, whatever their timestamps', () => {
    assert.ok(compareEvents(event(1, 1, 9), event(1, 2, 5)) < 0);
    assert.ok(compareEvents(event(1, 2, 5), event(1, 1, 9)) > 0);
  });

  it('orders events of different servers by timestamp', () => {
    assert.ok(compareEvents(event(2, 9, 1), event(1, 1, 2)) < 0);
    assert.ok(compareEvents(event(1, 1, 2), event(2, 9, 1)) > 0);
  });

  it('keeps registration order for equal timestamps across servers under a stable sort', () => {
    const first = event(2, 1, 7, 'first');
    const second = event(1, 1, 7, 'second');
    assert.equal(compareEvents(first, second), 0);
    assert.deepEqual(
      [first, second].sort(compareEvents).map((e) => e.type[0]),
      ['first', 'second'],
    );
    assert.deepEqual(
      [second, first].sort(compareEvents).map((e) => e.type[0]),
      ['second', 'first'],
    );
  });
});
