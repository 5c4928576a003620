import { ErrorCode, EventumError, invalidArgument } from '@eventum/core';
import type { Logger, Resource } from '@eventum/core';

import type { ErrorPolicy, FollowerOptions, FollowerStatus } from './follower.js';

/** What every runner is given. Plain data, so it reaches worker threads and child processes. */
export interface RunnerOptions {
  /** Environment the applications read their configuration from (`<NAME>_K`, then `K`; see
   * docs/sourcing.md); default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The followers' error policy (the single-threaded runner's default is to throw at once). */
  readonly errorPolicy?: ErrorPolicy;
  /** The followers' safety timer (default 1000 ms). */
  readonly pollMs?: number;
  /** Notifications read per pull (default 100). */
  readonly batchSize?: number;
  readonly logger?: Logger;
}

/** Where a follower must have got to: a leader's notification id. With one leader, a number. */
export type Position = number | { readonly leader: string; readonly position: number };

/**
 * Runs a {@link System}: opens its applications, wires followers to leaders, and closes them in
 * order. Every runner has this interface, so a test runs the same assertions under each.
 */
export interface Runner extends Resource {
  /** Opens the applications and starts following; a second call is `ERR_INVALID_ARGUMENT`. */
  start(): Promise<void>;
  /** Calls `method` of application `app` with `args` and resolves with its result. Across
   * threads and processes, arguments and result are structured-cloned. */
  call(app: string, method: string, ...args: unknown[]): Promise<unknown>;
  /** Resolves once follower `app` has processed `position`; `ERR_TIMEOUT` after `timeoutMs`. */
  waitFor(app: string, position: Position, timeoutMs: number): Promise<void>;
  /** Position, lag and state of every follower → leader edge. */
  status(): Promise<FollowerStatus[]>;
  /** Errors that stopped followers (error policy `'stop'`), oldest first. */
  readonly errors: readonly Error[];
}

/** The leader named by `position`, checked against the follower's leaders. */
export function resolvePosition(
  app: string,
  leaders: readonly string[],
  position: Position,
): { leader: string; position: number } {
  if (typeof position === 'object') return position;
  if (leaders.length !== 1)
    throw invalidArgument(
      `${app} follows ${leaders.length === 0 ? 'nothing' : leaders.join(', ')}: name the leader`,
    );
  return { leader: leaders[0]!, position };
}

/**
 * Waits until every follower has processed everything its leaders had: repeated until a pass
 * finds every leader where it was (a cascade writes while it settles). `ERR_TIMEOUT` after
 * `timeoutMs` in all.
 */
export async function settle(runner: Runner, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await runner.status();
    const stopped = before.find((s) => s.state === 'stopped');
    if (stopped) throw new EventumError(ErrorCode.Processing, stopped.error ?? 'stopped');
    if (before.every((s) => s.lag === 0)) {
      const after = await runner.status();
      if (after.every((s, i) => s.leaderMax === before[i]!.leaderMax && s.lag === 0)) return;
    }
    for (const s of before) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new EventumError(ErrorCode.Timeout, `system did not settle within ${timeoutMs} ms`);
      await runner.waitFor(s.application, { leader: s.leader, position: s.leaderMax }, left);
    }
  }
}

/** The follower options a runner's options imply. */
export function followerOptions(
  options: RunnerOptions,
  defaultPolicy?: ErrorPolicy,
): FollowerOptions {
  const policy = options.errorPolicy ?? defaultPolicy;
  return {
    ...(policy === undefined ? {} : { errorPolicy: policy }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}
