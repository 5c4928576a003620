/**
 * The decoder fuzzer's worker thread: checks inputs `start, start + 1, …` of a seeded run and
 * reports through shared memory which input it is on, so the parent can tell a hang or an
 * out-of-memory death and name the input that caused it. See `decode-fuzz.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { buildCorpus } from './corpus.js';
import type { CheckModule, WorkerData, WorkerResult } from './decode-fuzz.js';
import { Slot } from './decode-fuzz.js';
import { describeError } from './decode-oracle.js';
import { makeInput } from './mutate.js';

const data = workerData as WorkerData;
const progress = new Int32Array(data.progress);
const check = (await import(data.checkModule)) as CheckModule;
const corpus = buildCorpus();
let accepted = 0;
let rejected = 0;
let failure: WorkerResult['failure'] = null;
for (let i = 0; i < data.count; i++) {
  const index = data.start + i;
  Atomics.store(progress, Slot.Current, index);
  try {
    const outcome = check.checkInput(makeInput(corpus, data.seed, index));
    if (outcome.rejected) rejected++;
    else accepted++;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const stack = cause instanceof Error ? cause.stack : (error as Error).stack;
    failure = { index, message: describeError(error), stack: stack ?? '' };
    break;
  }
  Atomics.store(progress, Slot.Done, i + 1);
}
const result: WorkerResult = { accepted, rejected, failure };
parentPort?.postMessage(result);
