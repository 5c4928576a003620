import { ClosedError } from '@eventum/core';

/**
 * Settles like `promise`, or rejects with `ERR_CLOSED` as soon as `signal` aborts. An abandoned
 * `promise` keeps running; its eventual rejection is ignored.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new ClosedError('engine is closed'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ClosedError('engine is closed'));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves when `signal` aborts (at once if it already has). Removing the listener is left to
 * the signal's lifetime: use it only with signals that abort once, at close. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
