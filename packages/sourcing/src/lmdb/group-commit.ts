import { EventumError } from '@eventum/core';
import type { RootDatabase } from 'lmdb';

import { backendError } from '../errors.js';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** What `work` returned, or its `EventumError` when `failed`. */
  value: unknown;
  failed: boolean;
}

/**
 * How many commits in a row may run as microtasks before one waits for the event loop's next
 * turn (`setImmediate`): a closed loop of appends must not starve timers and I/O.
 */
const EAGER_COMMITS_PER_TURN = 32;

/**
 * Group commit for one LMDB file: the writes asked for during one turn of the event loop run
 * one after another in a single write transaction, committed once (with `fdatasync`, unless the
 * file is `deferred`), and each promise settles only after that commit. A synced file commits
 * at `setImmediate`, so that every write of the turn shares one sync. An `eager` one (deferred:
 * a commit costs microseconds) commits once the microtasks queued so far have run: the writes
 * of promise chains resumed together still share it, and a lone writer does not wait for a
 * turn of the event loop (half of its append's time); every {@link EAGER_COMMITS_PER_TURN}th
 * commit in a row waits for one anyway.
 * A write that fails with an `EventumError` (a conflict,
 * a bad argument) must throw before it writes anything: it fails alone and the others commit.
 * Any other error (LMDB's own, e.g. a full map) aborts the transaction and fails every write of
 * the group, so nothing half-written is ever committed.
 *
 * Each write sees the writes queued before it in the group, so optimistic-concurrency checks
 * stay exact: of two racing inserts at one position the first wins, the second conflicts.
 */
export class GroupCommit {
  readonly #root: RootDatabase;
  readonly #onCommit: () => void;
  readonly #eager: boolean;
  #queue: Pending[] = [];
  /** Commits run as microtasks since the event loop's last turn. */
  #eagerCommits = 0;
  #aborts = 0;

  /** `onCommit` runs after each committed transaction (the deferred sync's cue). */
  constructor(root: RootDatabase, onCommit: () => void = () => undefined, eager = false) {
    this.#root = root;
    this.#onCommit = onCommit;
    this.#eager = eager;
  }

  /** How many of this file's transactions aborted so far: what a write of a transaction that
   * had not aborted when this was last read is known to be stored (or to be in the current
   * transaction). */
  get aborts(): number {
    return this.#aborts;
  }

  /** Runs `work` in the next group's write transaction; resolves after the durable commit. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = this.#queue.length === 0;
      this.#queue.push({
        work,
        resolve: resolve as (value: unknown) => void,
        reject,
        value: undefined,
        failed: false,
      });
      if (first) this.#schedule();
    });
  }

  #schedule(): void {
    if (!this.#eager || this.#eagerCommits >= EAGER_COMMITS_PER_TURN) {
      setImmediate(() => this.#commit());
      return;
    }
    if (this.#eagerCommits++ === 0) setImmediate(() => (this.#eagerCommits = 0));
    queueMicrotask(() => this.#commit());
  }

  #commit(): void {
    const group = this.#queue;
    this.#queue = [];
    try {
      this.#root.transactionSync(() => {
        for (const p of group) attempt(p);
      });
    } catch (error) {
      this.#aborts++;
      const failure = error instanceof EventumError ? error : backendError('LMDB commit', error);
      for (const p of group) p.reject(failure);
      return;
    }
    this.#onCommit();
    for (const p of group) {
      if (p.failed) p.reject(p.value);
      else p.resolve(p.value);
    }
  }
}

/** Runs one write: an `EventumError` is its own failure, anything else aborts the group. */
function attempt(p: Pending): void {
  try {
    p.value = p.work();
  } catch (error) {
    if (!(error instanceof EventumError)) throw error;
    p.failed = true;
    p.value = error;
  }
}
