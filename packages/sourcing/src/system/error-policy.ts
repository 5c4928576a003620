import { ErrorCode, EventumError, invalidArgument } from '@eventum/core';
import type { Notification } from '@eventum/core';

/**
 * What a follower does when its policy fails on an event: try again `retries` times, waiting
 * `backoffMs` doubled each time (at most `maxBackoffMs`), then `'park'` the event (a dead letter
 * with its tracking record: the follower moves on) or `'stop'` (the follower stops at that
 * event until restarted; the runner reports the error).
 */
export interface ErrorPolicy {
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly then?: 'park' | 'stop';
}

/** The policy with its defaults, checked (`ERR_INVALID_ARGUMENT`). */
export function errorPolicy(p: ErrorPolicy = {}): Required<ErrorPolicy> {
  const policy = { retries: 3, backoffMs: 100, maxBackoffMs: 5000, then: 'park' as const, ...p };
  for (const key of ['retries', 'backoffMs', 'maxBackoffMs'] as const) {
    if (!Number.isSafeInteger(policy[key]) || policy[key] < 0)
      throw invalidArgument(`errorPolicy.${key} must be an integer ≥ 0, got ${policy[key]}`);
  }
  if (policy.then !== 'park' && policy.then !== 'stop')
    throw invalidArgument(`errorPolicy.then must be 'park' or 'stop', got ${String(policy.then)}`);
  return policy;
}

export function processingError(
  app: string,
  leader: string,
  n: Notification,
  cause: unknown,
): EventumError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const what = `${app} failed on ${leader}'s notification ${n.id} (${n.topic})`;
  return new EventumError(ErrorCode.Processing, `${what}: ${detail}`, { cause });
}
