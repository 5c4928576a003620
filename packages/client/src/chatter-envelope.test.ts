import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { encodeChatterFrame } from '@eventum/core';

import { encodeEnvelopeHead } from './chatter-envelope.js';

describe('encodeEnvelopeHead', () => {
  // Frame lengths with a 1-, 2- and 3-byte `k` (hat-event.md §2.1), and ids of several sizes.
  const cases = [
    { id: 1, first: 1, bodyLength: 0 },
    { id: 7, first: 3, bodyLength: 200 },
    { id: 300, first: 300, bodyLength: 1_000 },
    { id: 70_000, first: 2, bodyLength: 70_000 },
  ];
  for (const { id, first, bodyLength } of cases) {
    it(`gives encodeChatterFrame's bytes for id ${id} and a ${bodyLength}-byte body`, () => {
      const body = new Uint8Array(bodyLength).map((_, i) => i % 253);
      const header = { id, first, owner: id % 2 === 0, token: true, last: id % 3 !== 0 };
      const expected = encodeChatterFrame({ ...header, data: { type: 'Test.Body', data: body } });
      const inline = encodeEnvelopeHead(header, 'Test.Body', body, true);
      assert.deepEqual(Buffer.from(inline), Buffer.from(expected));
      const head = encodeEnvelopeHead(header, 'Test.Body', body, false);
      assert.deepEqual(Buffer.concat([head, body]), Buffer.from(expected));
    });
  }
});
