/**
 * Copies of small byte strings cut from shared slabs, the idea of Node's `Buffer.allocUnsafe`
 * pool: a fresh ArrayBuffer per 100-byte copy costs far more than the copy. A retained copy
 * keeps its slab alive; a copy larger than a slab gets a buffer of its own.
 */
export class SlabCopies {
  readonly #slabBytes: number;
  #slab: Uint8Array;
  #used = 0;

  constructor(slabBytes = 64 * 1024) {
    this.#slabBytes = slabBytes;
    this.#slab = new Uint8Array(slabBytes);
  }

  /** A copy of `bytes`, which it never aliases. */
  copy(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n > this.#slabBytes) return bytes.slice();
    if (this.#used + n > this.#slabBytes) {
      this.#slab = new Uint8Array(this.#slabBytes);
      this.#used = 0;
    }
    const copy = this.#slab.subarray(this.#used, this.#used + n);
    copy.set(bytes);
    this.#used += n;
    return copy;
  }
}
