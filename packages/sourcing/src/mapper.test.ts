import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { AesCipher } from './cipher.js';
import { zlibCompressor } from './compressor.js';
import { makeMeta } from './events.js';
import { Mapper } from './mapper.js';
import { Transcoder } from './transcoder.js';
import type { Transcoding } from './transcoder.js';

class Money {
  readonly cents: bigint;
  readonly currency: string;

  constructor(cents: bigint, currency: string) {
    this.cents = cents;
    this.currency = currency;
  }
}

const money: Transcoding<Money> = {
  name: 'money',
  is: (v): v is Money => v instanceof Money,
  encode: (m) => ({ cents: m.cents, currency: m.currency }),
  decode: (d) => {
    const { cents, currency } = d as { cents: bigint; currency: string };
    return new Money(cents, currency);
  },
};

const code = (c: string) => (e: unknown) => isEventumError(e, c as never);

describe('transcoder', () => {
  it('round-trips bigint, Date, Uint8Array and registered types, nested', () => {
    const t = new Transcoder([money]);
    const value = {
      big: 2n ** 70n,
      when: new Date('2026-01-02T03:04:05.678Z'),
      bytes: new Uint8Array([0, 1, 255]),
      list: [new Money(5n, 'EUR'), null, 'text', 1.5, true],
      skipped: undefined,
    };
    const { skipped: _, ...expected } = value;
    assert.deepEqual(t.decode(t.encode(value)), expected);
    assert.equal(new TextDecoder().decode(t.encode({ a: 'é' })), '{"a":"é"}');
  });

  it('writes plain data as JSON.stringify does and never changes the value it encodes', () => {
    const t = new Transcoder([money]);
    const text = (value: unknown) => new TextDecoder().decode(t.encode(value));
    const plain = { a: [1, 'two', null, { b: false }], c: { d: -0.5 }, e: undefined };
    assert.equal(text(plain), JSON.stringify(plain));
    // eslint-disable-next-line no-sparse-arrays
    assert.equal(text([1, , 3]), '[1,null,3]');
    const mixed = { keep: 'x', later: [1, new Money(2n, 'EUR')], gone: undefined, last: 3 };
    const before = JSON.stringify(mixed, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v));
    assert.deepEqual(t.decode(t.encode(mixed)), {
      keep: 'x',
      later: [1, new Money(2n, 'EUR')],
      last: 3,
    });
    assert.equal(
      JSON.stringify(mixed, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)),
      before,
    );
    assert.ok(mixed.later[1] instanceof Money);
    assert.throws(() => t.encode({ a: [undefined] }), code('ERR_INVALID_ARGUMENT'));
  });

  it('names the path of a value it cannot store, and refuses bad bytes', () => {
    const t = new Transcoder();
    assert.throws(
      () => t.encode({ a: [{ m: new Money(1n, 'EUR') }] }),
      (e: Error) => e.message.includes('/a/0/m') && e.message.includes('Money'),
    );
    assert.throws(() => t.encode({ n: NaN }), code('ERR_INVALID_ARGUMENT'));
    assert.throws(() => t.decode(new TextEncoder().encode('{nope')), code('ERR_PROTOCOL'));
    assert.throws(
      () => t.decode(new TextEncoder().encode('{"_type_":"x","_data_":1}')),
      code('ERR_PROTOCOL'),
    );
    assert.throws(() => new Transcoder([money, money]), code('ERR_INVALID_ARGUMENT'));
  });
});

describe('cipher and mapper', () => {
  it('encrypts with a fresh nonce per message and detects damage or a wrong key', () => {
    const cipher = new AesCipher(AesCipher.createKey(24));
    const plain = new TextEncoder().encode('hello');
    const a = cipher.encrypt(plain);
    assert.notDeepEqual(a, cipher.encrypt(plain));
    assert.deepEqual(new Uint8Array(cipher.decrypt(a)), plain);
    const damaged = Uint8Array.from(a);
    damaged[damaged.length - 1]! ^= 1;
    assert.throws(() => cipher.decrypt(damaged), code('ERR_PROTOCOL'));
    assert.throws(() => new AesCipher(AesCipher.createKey()).decrypt(a), code('ERR_PROTOCOL'));
    assert.throws(() => new AesCipher('c2hvcnQ='), code('ERR_INVALID_ARGUMENT'));
  });

  it('compresses before it encrypts, keeps positions in clear, and maps back', () => {
    const key = AesCipher.createKey();
    const mapper = new Mapper({ cipher: new AesCipher(key), compressor: zlibCompressor });
    const event = {
      type: 'Noted',
      data: { text: 'x'.repeat(1000) },
      meta: makeMeta('o', 3, { correlationId: 'c', causationId: 'k' }),
    };
    const stored = mapper.toStored(event);
    assert.deepEqual(
      [stored.originatorId, stored.originatorVersion, stored.topic, stored.eventId],
      ['o', 3, 'Noted', event.meta.eventId],
    );
    assert.ok(
      stored.state.length < 200,
      'compressed before encryption (ciphertext does not compress)',
    );
    const inflated = zlibCompressor.decompress(new AesCipher(key).decrypt(stored.state));
    assert.ok(new TextDecoder().decode(inflated).includes('xxxx'));
    assert.deepEqual(mapper.toDomain(stored), event);
  });

  it('stamps the schema version and upcasts through the chain on read', () => {
    const v1 = new Mapper();
    const v3 = new Mapper({
      upcasters: {
        Renamed: {
          1: (d: { n: string }) => ({ name: d.n }),
          2: (d: { name: string }) => ({ ...d, by: 'unknown' }),
        },
      },
    });
    const old = v1.toStored({ type: 'Renamed', data: { n: 'a' }, meta: makeMeta('o', 1) });
    assert.deepEqual(v3.toDomain(old).data, { name: 'a', by: 'unknown' });
    const current = v3.toStored({
      type: 'Renamed',
      data: { name: 'b', by: 'me' },
      meta: makeMeta('o', 2),
    });
    assert.deepEqual(v3.toDomain(current).data, { name: 'b', by: 'me' });
  });
});
