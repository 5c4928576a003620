import { ErrorCode, EventumError, isEventumError, toError } from '@eventum/core';

/** Wraps a failure of PostgreSQL (or of the driver) as `ERR_BACKEND`; eventum errors pass. */
export function backendError(message: string, cause: unknown): EventumError {
  if (isEventumError(cause)) return cause;
  return new EventumError(ErrorCode.Backend, `${message}: ${toError(cause).message}`, { cause });
}
