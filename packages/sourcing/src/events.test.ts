import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { newId } from './events.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('makes distinct v7 UUIDs that start with the time they were made', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, () => newId()); // past one pool of random bytes
    const after = Date.now();
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) {
      assert.match(id, V7);
      const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
      assert.ok(ms >= before && ms <= after, `${id} is not from ${before}..${after}`);
    }
  });
});
