import { ClosedError } from '../errors.js';
import { deferred } from './resource.js';
import type { Resource } from './resource.js';

/** Options of {@link ResourceGroup.adopt}. */
export interface AdoptOptions {
  /** When the child closes on its own, the group closes too (with the child's reason). */
  readonly critical?: boolean;
}

type Cleanup = (reason: Error | undefined) => Promise<void> | void;

/**
 * Owns background loops and child resources, and closes them in order: abort the signal, await
 * the loops, close children in reverse adoption order, then run the owner's own cleanups
 * (reverse registration order). `close()` is memoised; `closed` never rejects.
 *
 * Classes that are resources hold a group and delegate `close`/`closed`/`isClosed` to it.
 */
export class ResourceGroup implements Resource {
  readonly #abort = new AbortController();
  readonly #loops = new Set<Promise<void>>();
  readonly #children: Resource[] = [];
  readonly #cleanups: Cleanup[] = [];
  readonly #closed = deferred<Error | undefined>();
  #closing: Promise<void> | undefined;
  #reason: Error | undefined;

  /** Aborted when the group starts closing; pass it to loops and operations it owns. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  get closed(): Promise<Error | undefined> {
    return this.#closed.promise;
  }

  /** The failure that closed the group, if any. */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Throws {@link ClosedError} if the group is closing. */
  assertOpen(what = 'resource'): void {
    if (this.isClosed) throw new ClosedError(`${what} is closed`, { cause: this.#reason });
  }

  /**
   * Runs a background loop. A throw (other than after close began) closes the group with that
   * error as reason. The loop must return once `signal` aborts.
   */
  spawn(loop: (signal: AbortSignal) => Promise<void>): void {
    this.assertOpen();
    const run = (async () => {
      try {
        await loop(this.#abort.signal);
      } catch (error) {
        if (!this.isClosed) void this.close(toError(error));
      }
    })();
    this.#loops.add(run);
    void run.finally(() => this.#loops.delete(run));
  }

  /** Takes ownership of `child`: closing the group closes it. Closes the child at once if the
   * group is already closing. */
  adopt<T extends Resource>(child: T, options: AdoptOptions = {}): T {
    if (this.isClosed) {
      void child.close(this.#reason);
      return child;
    }
    this.#children.push(child);
    if (options.critical === true) {
      void child.closed.then((reason) => {
        if (!this.isClosed) void this.close(reason);
      });
    }
    return child;
  }

  /** Registers the owner's own cleanup, run after loops and children are done. */
  onClose(cleanup: Cleanup): void {
    this.#cleanups.push(cleanup);
  }

  close(reason?: Error): Promise<void> {
    this.#closing ??= this.#doClose(reason);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #doClose(reason: Error | undefined): Promise<void> {
    this.#reason = reason;
    this.#abort.abort(reason ?? new ClosedError());
    await Promise.all([...this.#loops]);
    for (const child of [...this.#children].reverse()) {
      await child.close().catch(() => undefined);
    }
    for (const cleanup of [...this.#cleanups].reverse()) {
      try {
        await cleanup(reason);
      } catch {
        // A failing cleanup must not stop the others; the reason already tells why we close.
      }
    }
    this.#closed.resolve(reason);
  }
}

/** Normalises anything thrown into an `Error`. */
export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
