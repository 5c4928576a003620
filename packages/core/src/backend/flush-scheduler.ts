import { deferred } from '../lifecycle/resource.js';
import type { Deferred } from '../lifecycle/resource.js';
import { toError } from '../lifecycle/resource-group.js';
import { Trigger } from '../lifecycle/trigger.js';
import type { Logger } from '../log/logger.js';
import type { Event } from '../model/event.js';
import { StorageHealth } from './storage-health.js';

/** Options of {@link FlushScheduler}. */
export interface FlushSchedulerOptions {
  /** Longest pause between flushes. */
  readonly periodMs: number;
  readonly logger: Logger;
  /**
   * Writes what waits (a write that failed before first). Throws the error to report, already
   * wrapped (e.g. `ERR_BACKEND`); what it did not write must stay for the next call.
   */
  readonly write: () => Promise<void>;
  /** Log fields of a failure (e.g. how many events wait). */
  readonly failureFields?: () => Record<string, unknown>;
}

/**
 * The flush side of a backend that stages events in memory: a loop writes every `periodMs`
 * (sooner on {@link fire}), one write at a time. `request()` (a backend's `flush()`) resolves
 * with the next write that completes — every request made meanwhile shares it (group commit) —
 * or rejects with its failure. When a write completes and requests made during it wait, the
 * next write starts at once, before the completed one's requests are answered, so its packing
 * and hand-off overlap the answers (and the requesters' next requests). A failed write is
 * recorded in {@link health} (the backend refuses registrations until a write succeeds) and
 * retried by the next one.
 */
export class FlushScheduler {
  readonly health: StorageHealth;
  readonly #options: FlushSchedulerOptions;
  readonly #trigger = new Trigger();
  /** The write under way (settles, never rejects, once it has finished), or null. */
  #current: Promise<void> | null = null;
  /** The writes asked for by {@link flushNow}, each after the one before. */
  #chain: Promise<void> = Promise.resolve();
  #waiters: Deferred<void>[] = [];

  constructor(options: FlushSchedulerOptions) {
    this.#options = options;
    this.health = new StorageHealth(options.logger);
  }

  /** Settles when the write in progress (if any) has finished. */
  get done(): Promise<void> {
    return this.#current ?? Promise.resolve();
  }

  /** Starts the next write now instead of at the end of the period. */
  fire(): void {
    this.#trigger.fire();
  }

  /** Resolves once a write that started after this call succeeded; rejects with its failure. */
  request(): Promise<void> {
    const waiter = deferred<void>();
    this.#waiters.push(waiter);
    this.#trigger.fire();
    return waiter.promise;
  }

  /** The flush loop, until `signal` aborts (spawn it in the backend's group). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.#trigger.wait(this.#options.periodMs, signal);
      if (signal.aborted) return;
      await this.flushNow();
    }
  }

  /** Writes now, after the write in progress; the final flush of a close. */
  flushNow(): Promise<void> {
    const run = this.#chain.then(() => this.#writeWhenIdle());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Rejects every request still waiting (at close, after the final flush). */
  rejectWaiting(reason: Error): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }

  /** Writes never overlap: waits out the write under way (a started-early one included). */
  async #writeWhenIdle(): Promise<void> {
    while (this.#current !== null) await this.#current;
    await this.#write();
  }

  /** Starts a write; none may be under way. */
  #write(): Promise<void> {
    const run = this.#writeOnce();
    this.#current = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #writeOnce(): Promise<void> {
    const waiters = this.#waiters;
    this.#waiters = [];
    try {
      await this.#options.write();
    } catch (error) {
      this.#current = null;
      const failure = toError(error);
      this.health.failed(failure, this.#options.failureFields?.() ?? {});
      for (const waiter of waiters) waiter.reject(failure);
      return;
    }
    this.#current = null;
    this.health.succeeded();
    if (this.#waiters.length > 0) {
      // Pipelined group commit (see the class comment); the trigger's pending fire is this
      // write's, so the loop does not follow it with an empty one.
      this.#trigger.reset();
      void this.#write().catch(() => undefined);
    }
    for (const waiter of waiters) waiter.resolve();
  }
}

/** Calls `onFlushed` once per batch, in order; a throwing callback is logged, not propagated. */
export function notifyFlushed(
  batches: readonly (readonly Event[])[],
  onFlushed: ((events: readonly Event[]) => void) | undefined,
  logger: Logger,
): void {
  if (onFlushed === undefined) return;
  for (const batch of batches) {
    try {
      onFlushed(batch);
    } catch (error) {
      logger.error('onFlushed callback failed', { error: toError(error).message });
    }
  }
}
