/**
 * Runs the decoder fuzzer: `inputs` seeded mutations of the corpus through every decoder
 * (`decode-oracle.ts`), in a worker thread watched from here. A failure names its seed and
 * index, the corpus entry and mutations it came from and its bytes, so it can be replayed
 * alone (`npm run fuzz -- --seed S --index I`). Hangs (no progress for `stallMs`) and deaths of
 * the worker (e.g. its heap limit reached by a huge allocation) are failures too.
 */
import { Worker } from 'node:worker_threads';

import { buildCorpus } from './corpus.js';
import type { Outcome } from './decode-oracle.js';
import type { FuzzInput } from './mutate.js';
import { makeInput, toHex } from './mutate.js';

/** What a check module exports (the default is `decode-oracle.js`). */
export interface CheckModule {
  checkInput(input: FuzzInput): Outcome;
}

/** Slots of the shared progress array. */
export const Slot = { Done: 0, Current: 1 } as const;

export interface WorkerData {
  readonly seed: number;
  readonly start: number;
  readonly count: number;
  readonly progress: SharedArrayBuffer;
  readonly checkModule: string;
}

export interface WorkerResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly failure: { index: number; message: string; stack: string } | null;
}

export interface DecodeFuzzOptions {
  readonly seed: number;
  readonly inputs: number;
  /** First input index (default 0): `inputs = 1` with `start = I` replays input I alone. */
  readonly start?: number;
  /** No progress for this long is a hang (default 10 s: one input takes microseconds). */
  readonly stallMs?: number;
  /** Heap limit of the worker in MiB (default 512): reaching it is a failure. */
  readonly maxHeapMb?: number;
  /** URL of the module whose `checkInput` runs (for the harness's own tests). */
  readonly checkModule?: string;
}

export interface FuzzFailureReport {
  readonly kind: 'invariant' | 'hang' | 'worker died';
  readonly seed: number;
  readonly index: number;
  readonly base: string;
  readonly mutations: readonly string[];
  readonly hex: string;
  readonly message: string;
  readonly stack: string;
}

export interface DecodeFuzzReport {
  readonly seed: number;
  /** Inputs checked (all of them unless there was a failure). */
  readonly checked: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly elapsedMs: number;
  readonly failure: FuzzFailureReport | null;
}

const defaultCheckModule = new URL('./decode-oracle.js', import.meta.url).href;

export async function runDecodeFuzz(options: DecodeFuzzOptions): Promise<DecodeFuzzReport> {
  const start = options.start ?? 0;
  const progressBuffer = new SharedArrayBuffer(8);
  const progress = new Int32Array(progressBuffer);
  Atomics.store(progress, Slot.Current, NOT_STARTED);
  const data: WorkerData = {
    seed: options.seed,
    start,
    count: options.inputs,
    progress: progressBuffer,
    checkModule: options.checkModule ?? defaultCheckModule,
  };
  const began = performance.now();
  const worker = new Worker(new URL('./decode-worker.js', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
  });
  const outcome = await watch(worker, progress, options.stallMs ?? 10_000);
  const elapsedMs = performance.now() - began;
  const done = Atomics.load(progress, Slot.Done);
  const report = (kind: FuzzFailureReport['kind'], index: number, message: string, stack = '') =>
    failureReport(kind, options.seed, index, message, stack);
  if ('result' in outcome) {
    const { accepted, rejected, failure } = outcome.result;
    const failed = failure && report('invariant', failure.index, failure.message, failure.stack);
    return { seed: options.seed, checked: done, accepted, rejected, elapsedMs, failure: failed };
  }
  // A worker that failed before its first input failed at loading: blame the first input.
  const index = Math.max(start, Atomics.load(progress, Slot.Current));
  const failure = report(outcome.kind, index, outcome.message);
  return { seed: options.seed, checked: done, accepted: 0, rejected: 0, elapsedMs, failure };
}

type WatchOutcome =
  | { readonly result: WorkerResult }
  | { readonly kind: 'hang' | 'worker died'; readonly message: string };

/** Waits for the worker's result; terminates it when its progress stalls. */
function watch(worker: Worker, progress: Int32Array, stallMs: number): Promise<WatchOutcome> {
  return new Promise((resolve) => {
    let result: WorkerResult | null = null;
    let stalled = false;
    const timer = onStall(progress, stallMs, () => {
      stalled = true;
      void worker.terminate();
    });
    worker.on('message', (message: WorkerResult) => (result = message));
    worker.on('error', (error) => {
      clearInterval(timer);
      const code = (error as { code?: string }).code ?? error.name;
      resolve({ kind: 'worker died', message: `${code}: ${error.message}` });
    });
    worker.on('exit', (code) => {
      clearInterval(timer);
      if (result !== null) resolve({ result });
      else if (stalled) resolve({ kind: 'hang', message: `no progress for ${stallMs} ms` });
      else resolve({ kind: 'worker died', message: `worker exited with code ${code}` });
    });
  });
}

/** `Slot.Current` until the worker takes its first input. */
const NOT_STARTED = -1;
/** Longest start-up (loading the modules and the corpus) before the worker counts as hung: a
 * loaded machine can take longer than a short `stallMs`, which is meant for one input. */
const STARTUP_MS = 30_000;

/**
 * Calls `stall` (once) when the done count has not moved for `stallMs` (before the first input,
 * for the longer of `stallMs` and {@link STARTUP_MS}).
 */
function onStall(progress: Int32Array, stallMs: number, stall: () => void): NodeJS.Timeout {
  let last = -1;
  let lastChange = performance.now();
  const timer = setInterval(() => {
    const done = Atomics.load(progress, Slot.Done);
    const started = Atomics.load(progress, Slot.Current) !== NOT_STARTED;
    const limit = started ? stallMs : Math.max(stallMs, STARTUP_MS);
    if (done !== last) {
      last = done;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > limit) {
      clearInterval(timer);
      stall();
    }
  }, 50);
  return timer;
}

function failureReport(
  kind: FuzzFailureReport['kind'],
  seed: number,
  index: number,
  message: string,
  stack: string,
): FuzzFailureReport {
  const input = makeInput(buildCorpus(), seed, index);
  const { base, mutations, bytes } = input;
  return { kind, seed, index, base: base.name, mutations, hex: toHex(bytes), message, stack };
}

/** The failure as lines for a person: what broke, the input, and how to replay it. */
export function formatFailure(failure: FuzzFailureReport): string {
  return [
    `decoder fuzzer: ${failure.kind}: ${failure.message}`,
    `  seed ${failure.seed}, input ${failure.index}: ${failure.base} + [${failure.mutations.join(', ')}]`,
    `  bytes (${failure.hex.length / 2}): ${failure.hex}`,
    `  replay: npm run fuzz -- --seed ${failure.seed} --index ${failure.index}`,
    ...(failure.stack === '' ? [] : [failure.stack.replace(/^/gm, '  ')]),
  ].join('\n');
}
