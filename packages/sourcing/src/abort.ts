import { ErrorCode, EventumError } from '@eventum/core';

/** Options of the long-running operations: an `AbortSignal` that cancels them. */
export interface AbortOptions {
  /** When it fires, the operation rejects promptly with `ERR_ABORTED` (reason as `cause`). */
  readonly signal?: AbortSignal | undefined;
}

/** `ERR_ABORTED` for `what`, with the signal's reason as cause. */
export function abortedError(what: string, signal: AbortSignal): EventumError {
  return new EventumError(ErrorCode.Aborted, `${what} aborted`, { cause: signal.reason });
}

/** Throws `ERR_ABORTED` when `signal` has fired. */
export function throwIfAborted(what: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortedError(what, signal);
}

/**
 * Settles like `promise`, or rejects with `ERR_ABORTED` as soon as `signal` fires (the work
 * behind `promise` is not stopped, its outcome is dropped).
 */
export function abortable<T>(
  what: string,
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortedError(what, signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(what, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}

/** Waits `ms`; rejects with `ERR_ABORTED` (and clears the timer) when `signal` fires. */
export function sleep(what: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortedError(what, signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(what, signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
