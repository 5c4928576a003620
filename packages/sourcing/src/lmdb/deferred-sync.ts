import type { RootDatabase } from 'lmdb';

import { backendError } from '../errors.js';

/** lmdb-js's `sync(callback)`: `mdb_env_sync` on the thread pool (missing from its types). */
interface Syncable {
  sync(callback: (error?: Error | null) => void): void;
}

/** How often a `deferred` LMDB file is synced in the background (docs/sourcing.md). */
export const DEFERRED_SYNC_MS = 100;

/**
 * The background half of the `deferred` durability: the file is opened with LMDB's `noSync`,
 * so a commit only hands its pages to the OS, and this syncs the file (`fdatasync`, on libuv's
 * thread pool, never on the event loop) every {@link DEFERRED_SYNC_MS} when something was
 * committed since the last sync, and once more at close.
 */
export class DeferredSync {
  readonly #root: RootDatabase;
  readonly #timer: NodeJS.Timeout;
  #dirty = false;
  #syncing: Promise<void> = Promise.resolve();

  constructor(root: RootDatabase) {
    this.#root = root;
    this.#timer = setInterval(() => {
      if (this.#dirty) void this.sync().catch(() => undefined); // retried at the next tick
    }, DEFERRED_SYNC_MS);
    this.#timer.unref();
  }

  /** Something was committed: the next tick syncs. */
  committed(): void {
    this.#dirty = true;
  }

  /** Syncs the file now (after a sync under way); rejects with `ERR_BACKEND` if it fails. */
  sync(): Promise<void> {
    this.#dirty = false;
    const run = this.#syncing.then(
      () =>
        new Promise<void>((resolve, reject) => {
          (this.#root as unknown as Syncable).sync((error) => {
            if (error === undefined || error === null) resolve();
            else {
              this.#dirty = true;
              reject(backendError('LMDB background sync', error));
            }
          });
        }),
    );
    this.#syncing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and syncs what is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.sync();
  }
}
