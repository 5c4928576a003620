/*
 * The writer thread: owns every write transaction of the backend (Hat's single LMDB executor).
 * Flush write logs and cleanup passes run here, one at a time, so the event loop never blocks on
 * B-tree work or fsync.
 */
import { parentPort, workerData } from 'node:worker_threads';

import { timestampNow } from '@eventum/core';

import { applyLog } from './apply.js';
import { cleanupPass, removedCount } from './cleanup.js';
import { PartitionCounters } from './counters.js';
import { closeEnvironment, openEnvironment } from './environment.js';
import type { LmdbEnvironment } from './environment.js';
import type { WriterInit, WriterMessage, WriterRequest } from './writer-protocol.js';

const port = parentPort;
const init = workerData as WriterInit;
let orphans = [...init.orphans];

function post(message: WriterMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function handle(env: LmdbEnvironment, counters: PartitionCounters, request: WriterRequest): number {
  if (request.type === 'write') {
    const deltas = env.root.transactionSync(() => applyLog(env, request.log, counters));
    counters.apply(deltas);
    return 0;
  }
  if (request.type === 'cleanup') {
    const now = timestampNow();
    const result = env.root.transactionSync(() =>
      cleanupPass(env, init.partitions, orphans, counters, now, request.budget),
    );
    counters.apply(result.deltas);
    orphans = orphans.filter((id) => !result.dropped.includes(id));
    return removedCount(result.deltas);
  }
  return 0;
}

async function main(): Promise<void> {
  if (port === null) return;
  let env: LmdbEnvironment;
  try {
    env = await openEnvironment(init.path);
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const counters = PartitionCounters.load(env, [
    ...init.partitions.map((p) => p.id),
    ...init.orphans,
  ]);
  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      void closeEnvironment(env).finally(() => {
        post({ type: 'done', id: request.id, value: 0 });
        port.close();
      });
      return;
    }
    try {
      const value = handle(env, counters, request);
      if (request.type === 'write') {
        const buffers = request.log.map((chunk) => chunk.buffer as ArrayBuffer);
        post({ type: 'done', id: request.id, value, buffers }, buffers);
      } else {
        post({ type: 'done', id: request.id, value });
      }
    } catch (error) {
      post({
        type: 'error',
        id: request.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  post({ type: 'ready' });
}

void main();
