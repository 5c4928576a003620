import { Worker } from 'node:worker_threads';

import { ClosedError, ErrorCode, EventumError, deferred } from '@eventum/core';
import type { Deferred } from '@eventum/core';

import type { CleanupPartition } from './cleanup.js';
import { ChunkPool } from './ops.js';
import type { WriterInit, WriterMessage, WriterRequest } from './writer-protocol.js';

type RequestBody =
  | { readonly type: 'write'; readonly log: readonly Uint8Array[] }
  | { readonly type: 'cleanup'; readonly budget: number }
  | { readonly type: 'close' };

/**
 * The main-thread side of the writer thread. Requests run one at a time, in the order sent;
 * each resolves once its transaction has committed (durably). If the thread fails, every
 * pending and later request rejects with `ERR_BACKEND`, and `failed` resolves with the reason.
 */
export class LmdbWriter {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Deferred<number>>();
  readonly #failed = deferred<Error>();
  #nextId = 1;
  #failure: Error | null = null;
  #exited = false;
  /** Log chunks the thread handed back, for the next logs. */
  readonly pool = new ChunkPool();

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: WriterMessage) => this.#receive(message));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => {
      this.#exited = true;
      this.#fail(new ClosedError('LMDB writer thread exited'));
    });
  }

  /** Starts the writer thread on the file at `path` (opened by the caller already). */
  static start(
    path: string,
    partitions: readonly CleanupPartition[],
    orphans: readonly number[],
  ): Promise<LmdbWriter> {
    const workerData: WriterInit = { path, partitions, orphans };
    const worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData });
    return new Promise((resolve, reject) => {
      const onMessage = (message: WriterMessage): void => {
        worker.off('error', onError);
        if (message.type === 'ready') resolve(new LmdbWriter(worker));
        else {
          const text = message.type === 'failed' ? message.message : 'unexpected message';
          reject(new EventumError(ErrorCode.Backend, `LMDB writer thread: ${text}`));
          void worker.terminate();
        }
      };
      const onError = (error: Error): void => {
        worker.off('message', onMessage);
        reject(new EventumError(ErrorCode.Backend, 'LMDB writer thread failed', { cause: error }));
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
  }

  /** Resolves with the reason once the thread fails or exits. */
  get failed(): Promise<Error> {
    return this.#failed.promise;
  }

  /** Applies a write log (see `packGeneration`) in one transaction; transfers its chunks. */
  write(log: readonly Uint8Array[]): Promise<void> {
    const buffers = log.map((chunk) => chunk.buffer as ArrayBuffer);
    return this.#request({ type: 'write', log }, buffers).then(() => undefined);
  }

  /** One retention pass; resolves with the number of deleted entries. */
  cleanup(budget: number): Promise<number> {
    return this.#request({ type: 'cleanup', budget });
  }

  /** Lets earlier requests finish, closes the thread's environment and ends the thread. */
  async close(): Promise<void> {
    if (this.#exited) return;
    if (this.#failure === null) await this.#request({ type: 'close' }).catch(() => undefined);
    if (!this.#exited) await this.#worker.terminate();
  }

  #request(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<number> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const answer = deferred<number>();
    this.#pending.set(id, answer);
    const request: WriterRequest = { id, ...body };
    this.#worker.postMessage(request, transfer);
    return answer.promise;
  }

  #receive(message: WriterMessage): void {
    if (message.type !== 'done' && message.type !== 'error') return;
    const answer = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (message.type === 'done') {
      if (message.buffers !== undefined) this.pool.give(message.buffers);
      answer?.resolve(message.value);
    } else
      answer?.reject(new EventumError(ErrorCode.Backend, `LMDB write failed: ${message.message}`));
  }

  #fail(reason: Error): void {
    if (this.#failure !== null) return;
    this.#failure =
      reason instanceof EventumError
        ? reason
        : new EventumError(ErrorCode.Backend, 'LMDB writer thread failed', { cause: reason });
    for (const answer of this.#pending.values()) answer.reject(this.#failure);
    this.#pending.clear();
    this.#failed.resolve(this.#failure);
  }
}
