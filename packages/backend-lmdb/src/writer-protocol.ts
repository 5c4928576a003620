import type { CleanupPartition } from './cleanup.js';

/** What the writer thread starts with (`workerData`). */
export interface WriterInit {
  readonly path: string;
  readonly partitions: readonly CleanupPartition[];
  /** Stored partitions no longer configured: the cleanup empties and forgets them. */
  readonly orphans: readonly number[];
}

/** A request to the writer thread; each is answered once, in order. */
export type WriterRequest =
  | { readonly id: number; readonly type: 'write'; readonly log: readonly Uint8Array[] }
  | { readonly id: number; readonly type: 'cleanup'; readonly budget: number }
  | { readonly id: number; readonly type: 'close' };

/** A message from the writer thread: start-up outcome or a request's answer. */
export type WriterMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly value: number;
      /** A write request's log chunks, handed back for reuse. */
      readonly buffers?: readonly ArrayBuffer[];
    }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
