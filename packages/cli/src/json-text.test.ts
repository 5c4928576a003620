import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { jsonText } from './json-text.js';

describe('jsonText', () => {
  it('writes what JSON.stringify writes', () => {
    const values: unknown[] = [
      null,
      true,
      -0.5,
      'a"\\\n😀',
      [],
      {},
      [1, [2, [3]], { a: null }],
      { b: 1, a: [undefined, () => 1], skip: undefined, f: () => 1, d: new Date(0) },
      { nested: { deeper: { list: ['x', { y: 'z' }] } } },
    ];
    for (const value of values) assert.equal(jsonText(value), JSON.stringify(value));
  });

  it('writes values nested far deeper than JSON.stringify can', () => {
    let value: unknown = 'end';
    for (let i = 0; i < 100_000; i++) value = i % 2 === 0 ? [value] : { k: value };
    const text = jsonText(value);
    assert.throws(() => JSON.stringify(value), RangeError);
    assert.equal(text.length, 'end'.length + 2 + 50_000 * 2 + 50_000 * 6);
    assert.ok(text.startsWith('{"k":[{"k":['));
  });
});
