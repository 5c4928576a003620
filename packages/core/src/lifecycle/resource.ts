/**
 * Every long-lived thing in eventum is a `Resource`: built by an async factory that cleans up
 * after itself on failure, closed exactly once (children first), observable through `closed`.
 */
export interface Resource extends AsyncDisposable {
  /** True once `close()` has started (or the resource failed on its own). */
  readonly isClosed: boolean;
  /** Resolves (never rejects) when fully closed; the value is the failure that caused it, if any. */
  readonly closed: Promise<Error | undefined>;
  /** Idempotent: every call returns the same promise. Closes owned children first. */
  close(reason?: Error): Promise<void>;
}

/** A promise with its resolve/reject exposed (Node 20 lacks `Promise.withResolvers`). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: Error): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
