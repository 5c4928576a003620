import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { resolveTextlogConfig } from './config.js';
import { textlogBackend } from './plugin.js';

describe('textlog config', () => {
  it('applies the defaults', () => {
    assert.deepEqual(resolveTextlogConfig({}), {
      path: './data/textlog',
      span: 60,
      flushPeriodMs: 1000,
      durability: 'buffered',
      maxResults: 4096,
      cacheFiles: 16,
    });
  });

  it('rejects bad values with ERR_INVALID_ARGUMENT', () => {
    const bads = [
      { span: 0 },
      { span: 1.5 },
      { flush_period: -1 },
      { max_results: 0 },
      { durability: 'eventually' as 'buffered' },
    ];
    for (const bad of bads) {
      assert.throws(
        () => resolveTextlogConfig(bad),
        (e) => isEventumError(e, 'ERR_INVALID_ARGUMENT'),
      );
    }
  });

  it('ships a closed snake_case schema for type textlog', () => {
    const schema = textlogBackend.configSchema as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    assert.equal(textlogBackend.type, 'textlog');
    assert.deepEqual(schema.properties['type'], { const: 'textlog' });
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties).sort(), [
      'cache_files',
      'durability',
      'flush_period',
      'max_results',
      'path',
      'span',
      'type',
    ]);
  });
});
