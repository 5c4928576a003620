// Decoded event types shared by their encoding (EventTypeCache, used by readEventType).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEventType, writeEventType } from './eventer-model.js';
import { SbsReader } from './sbs-reader.js';
import { SbsWriter } from './sbs-writer.js';
import { EventTypeCache, MAX_TYPES } from './type-cache.js';

function encoded(type: readonly string[]): Uint8Array {
  const w = new SbsWriter();
  writeEventType(w, type);
  return w.finish().slice();
}

const decode = (bytes: Uint8Array) => readEventType(new SbsReader(bytes), 'type');

describe('event type cache', () => {
  it('gives equal encodings one frozen array, and other types their own', () => {
    const first = decode(encoded(['plant', 'p1', 'ünit']));
    const again = decode(encoded(['plant', 'p1', 'ünit']));
    assert.deepEqual(first, ['plant', 'p1', 'ünit']);
    assert.equal(again, first);
    assert.ok(Object.isFrozen(first));
    // The same strings split differently are another type.
    assert.deepEqual(decode(encoded(['plant', 'p1ünit'])), ['plant', 'p1ünit']);
    assert.deepEqual(decode(encoded([])), []);
  });

  it('reads past the type, whether cached or not', () => {
    const bytes = new Uint8Array([...encoded(['a', 'b']), 0x85]);
    for (let i = 0; i < 2; i++) {
      const r = new SbsReader(bytes);
      assert.deepEqual(readEventType(r, 'type'), ['a', 'b']);
      assert.equal(r.readInteger(), 5);
    }
  });

  it('still rejects invalid UTF-8 and lengths past the end', () => {
    assert.throws(() => decode(new Uint8Array([0x81, 0x81, 0xff])), /type: invalid UTF-8/);
    assert.throws(() => decode(new Uint8Array([0x81, 0x85, 0x61])), /type: declared length 5/);
  });

  it('holds a bounded number of types and never answers with another one', () => {
    const cache = new EventTypeCache();
    const bytes = (i: number) => encoded([String(i)]);
    for (let i = 0; i <= MAX_TYPES; i++) cache.add(bytes(i), [String(i)]);
    // Full at MAX_TYPES: the next add started over.
    assert.equal(cache.get(bytes(0)), undefined);
    assert.deepEqual(cache.get(bytes(MAX_TYPES)), [String(MAX_TYPES)]);
    assert.equal(cache.get(encoded(['other'])), undefined);
  });

  it('keeps a copy of the bytes it was given', () => {
    const cache = new EventTypeCache();
    const bytes = encoded(['x']);
    cache.add(bytes, ['x']);
    bytes.fill(0);
    assert.deepEqual(cache.get(encoded(['x'])), ['x']);
  });
});
