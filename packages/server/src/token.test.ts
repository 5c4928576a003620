import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { describe, it } from 'node:test';

import { isClientTokenAccepted } from './token.js';

describe('isClientTokenAccepted', () => {
  it('follows Hat’s rule: no client token is accepted, a client token must equal the server’s', () => {
    assert.equal(isClientTokenAccepted(null, null), true);
    assert.equal(isClientTokenAccepted(null, 'secret'), true);
    assert.equal(isClientTokenAccepted('secret', 'secret'), true);
    assert.equal(isClientTokenAccepted('', ''), true);
    assert.equal(isClientTokenAccepted('secret', null), false);
    assert.equal(isClientTokenAccepted('', null), false, 'an empty token is still a token');
  });

  it('refuses tokens that differ in one character, in length, or only by a prefix', () => {
    for (const wrong of ['secreT', 'secret ', 'secre', 's', '', 'secretsecret', 'sécret']) {
      assert.equal(isClientTokenAccepted(wrong, 'secret'), false, JSON.stringify(wrong));
    }
  });

  it('compares with timingSafeEqual over equal-length SHA-256 digests, whatever the lengths', (t) => {
    // Behaviour, not timing: every comparison goes through crypto.timingSafeEqual with two
    // 32-byte digests, so neither a common prefix nor a length difference changes the work done.
    const spy = t.mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    t.after(() => {
      spy.mock.restore();
      syncBuiltinESMExports();
    });
    const cases: [string | null, string | null][] = [
      ['a', 'ab'],
      ['x'.repeat(100_000), 'x'],
      ['secret', 'secret'],
      ['secret', null],
    ];
    for (const [client, server] of cases) isClientTokenAccepted(client, server);
    assert.equal(spy.mock.callCount(), cases.length);
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments as [Buffer, Buffer];
      assert.equal(a.length, 32);
      assert.equal(b.length, 32);
    }
  });
});
