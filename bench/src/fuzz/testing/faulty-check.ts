/**
 * A check module for the fuzz harness's own tests: a decoder with planted faults, so the tests
 * can show that the harness reports each kind of failure with the input that caused it.
 * Input 1000 throws a TypeError, input 2000 never returns, input 3000 allocates without bound;
 * every other input is checked by the real oracle.
 */
import { checkInput as realCheck } from '../decode-oracle.js';
import type { Outcome } from '../decode-oracle.js';
import type { FuzzInput } from '../mutate.js';

export const THROWS_AT = 1000;
export const HANGS_AT = 2000;
export const EXHAUSTS_HEAP_AT = 3000;

export function checkInput(input: FuzzInput): Outcome {
  if (input.index === THROWS_AT) throw new TypeError('planted fault');
  if (input.index === HANGS_AT)
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  if (input.index === EXHAUSTS_HEAP_AT) {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(input.index));
  }
  return realCheck(input);
}
