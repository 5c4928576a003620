import { ErrorCode, EventumError } from '@eventum/core';

/** What a conflicting write collided with. */
export type ConflictKind = 'version' | 'event-id' | 'tracking' | 'expected-version';

/**
 * `ERR_CONFLICT`: an optimistic-concurrency failure. Nothing of the failed write was stored;
 * reading again and retrying the command is the remedy (`Application.update` does it).
 */
export class ConflictError extends EventumError {
  readonly kind: ConflictKind;

  constructor(kind: ConflictKind, message: string, options?: ErrorOptions) {
    super(ErrorCode.Conflict, message, options);
    this.kind = kind;
  }
}

/** `ERR_NOT_FOUND`: no events are stored for the aggregate (at the asked version). */
export class AggregateNotFoundError extends EventumError {
  readonly originatorId: string;

  constructor(originatorId: string, version?: number) {
    const at = version === undefined ? '' : ` at version ${version}`;
    super(ErrorCode.NotFound, `aggregate ${originatorId} not found${at}`);
    this.originatorId = originatorId;
  }
}

/** `ERR_BACKEND` wrapping a storage driver's error. */
export function backendError(what: string, cause: unknown): EventumError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new EventumError(ErrorCode.Backend, `${what}: ${detail}`, { cause });
}

/** What a synchronous step threw, as the rejection of a function that returns a promise (such
 * functions never throw). */
export function rejection(error: unknown): Promise<never> {
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
  return Promise.reject(error);
}
