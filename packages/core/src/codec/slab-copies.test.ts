// Small copies cut from shared slabs (retained encodings, cached type bytes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlabCopies } from './slab-copies.js';

describe('SlabCopies', () => {
  it('copies without aliasing the source, into one slab until it is full', () => {
    const copies = new SlabCopies(8);
    const source = new Uint8Array([1, 2, 3]);
    const a = copies.copy(source);
    const b = copies.copy(new Uint8Array([4, 5, 6]));
    source[0] = 9;
    assert.deepEqual([...a, ...b], [1, 2, 3, 4, 5, 6]);
    assert.equal(a.buffer, b.buffer);
    // 6 of 8 bytes used: the next 3 bytes start a new slab, and the old copies stay intact.
    const c = copies.copy(new Uint8Array([7, 8, 9]));
    assert.notEqual(c.buffer, a.buffer);
    assert.deepEqual([...a, ...b, ...c], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives a copy larger than a slab a buffer of its own', () => {
    const copies = new SlabCopies(4);
    const big = copies.copy(new Uint8Array([1, 2, 3, 4, 5]));
    assert.deepEqual([...big], [1, 2, 3, 4, 5]);
    assert.equal(big.buffer.byteLength, 5);
    assert.equal(copies.copy(new Uint8Array(0)).length, 0);
  });
});
