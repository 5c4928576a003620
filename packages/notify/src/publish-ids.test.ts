import assert from 'node:assert/strict';
import { it } from 'node:test';

import { nextNotificationId } from './publish-ids.js';

it('notification ids are 32 hex characters, one prefix, the counter after it by one', () => {
  // Past two of the boundaries where the counter's high part is written anew (every 256 ids).
  const ids = Array.from({ length: 600 }, () => nextNotificationId());
  const prefix = ids[0]?.slice(0, 16);
  for (const [i, id] of ids.entries()) {
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal(id.slice(0, 16), prefix);
    if (i > 0) {
      const counter = BigInt(`0x${id.slice(16)}`);
      assert.equal(counter, BigInt(`0x${ids[i - 1]?.slice(16)}`) + 1n, id);
    }
  }
  assert.equal(new Set(ids).size, ids.length);
});
