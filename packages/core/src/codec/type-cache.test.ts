// Decoded event types shared by their encoding (EventTypeCache, used by readEventType).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEventType, writeEventType } from './eventer-model.js';
import { SbsReader } from './sbs-reader.js';
import { SbsWriter } from './sbs-writer.js';
import { EventTypeCache, MAX_TYPES, typeHash } from './type-cache.js';

function encoded(type: readonly string[]): Uint8Array {
  const w = new SbsWriter();
  writeEventType(w, type);
  return w.finish().slice();
}

const decode = (bytes: Uint8Array) => readEventType(new SbsReader(bytes), 'type');

/** Offers `type` to `cache` as the whole of its encoding. */
function offer(cache: EventTypeCache, type: string[]) {
  const bytes = encoded(type);
  return cache.add(typeHash(bytes, 0, bytes.length), bytes, 0, bytes.length, type);
}

function lookUp(cache: EventTypeCache, type: readonly string[]) {
  const bytes = encoded(type);
  return cache.get(typeHash(bytes, 0, bytes.length), bytes, 0, bytes.length);
}

describe('event type cache', () => {
  it('shares one frozen array from the second time a type is decoded', () => {
    const type = ['plant', 'p1', 'ünit'];
    const first = decode(encoded(type));
    const second = decode(encoded(type));
    const third = decode(encoded(type));
    assert.deepEqual(first, type);
    assert.equal(Object.isFrozen(first), false);
    assert.ok(Object.isFrozen(second));
    assert.equal(third, second);
    // The same strings split differently are another type.
    assert.deepEqual(decode(encoded(['plant', 'p1ünit'])), ['plant', 'p1ünit']);
    assert.deepEqual(decode(encoded([])), []);
  });

  it('reads past the type, whether cached or not', () => {
    const bytes = new Uint8Array([...encoded(['a', 'b']), 0x85]);
    for (let i = 0; i < 3; i++) {
      const r = new SbsReader(bytes);
      assert.deepEqual(readEventType(r, 'type'), ['a', 'b']);
      assert.equal(r.readInteger(), 5);
    }
  });

  it('still rejects invalid UTF-8 and lengths past the end', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(() => decode(new Uint8Array([0x81, 0x81, 0xff])), /type: invalid UTF-8/);
      assert.throws(() => decode(new Uint8Array([0x81, 0x85, 0x61])), /type: declared length 5/);
    }
  });

  it('keeps its first MAX_TYPES types and then takes no more', () => {
    const cache = new EventTypeCache();
    for (let i = 0; i < MAX_TYPES; i++) {
      offer(cache, [String(i)]);
      offer(cache, [String(i)]);
    }
    assert.deepEqual(lookUp(cache, ['0']), ['0']);
    assert.deepEqual(lookUp(cache, [String(MAX_TYPES - 1)]), [String(MAX_TYPES - 1)]);
    const late = ['late'];
    offer(cache, late);
    assert.equal(offer(cache, late), late, 'handed back as it came, not cached');
    assert.equal(lookUp(cache, late), undefined);
    assert.equal(lookUp(cache, ['other']), undefined);
  });

  it('keeps a copy of the bytes it was given', () => {
    const cache = new EventTypeCache();
    const bytes = encoded(['x']);
    const key = typeHash(bytes, 0, bytes.length);
    cache.add(key, bytes, 0, bytes.length, ['x']);
    cache.add(key, bytes, 0, bytes.length, ['x']);
    bytes.fill(0);
    assert.deepEqual(lookUp(cache, ['x']), ['x']);
  });
});
