import { DEFAULT_MAX_EVENT_SIZE, invalidArgument, noopLogger, timestampNow } from '@eventum/core';
import type { Backend, Logger, Timestamp } from '@eventum/core';

import type { ModuleInfo } from './module.js';
import type { Source } from './source.js';

/** Default bound of the engine's register queue (Hat's `register_queue_size`). */
export const DEFAULT_REGISTER_QUEUE_SIZE = 1024;
/** Default cap on rounds of module processing in one session. */
export const DEFAULT_MAX_SESSION_ROUNDS = 100;
/** Default cap on events modules may add to one session. */
export const DEFAULT_MAX_MODULE_EVENTS = 100_000;

/** A module plug-in with its configuration section (Hat's `modules[i]`), passed to `create`. */
export interface ConfiguredModule<C = unknown> {
  readonly info: ModuleInfo<C>;
  readonly config: C;
}

/** Lists connected eventer clients; the eventer server implements it. */
export interface ClientNameSource {
  getClientNames(): Iterable<readonly [Source, string]>;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Where sessions are stored. Not owned: the engine never closes it. */
  readonly backend: Backend;
  /** This server's id (a non-negative safe integer). */
  readonly serverId: number;
  /** Engine modules in processing order; created in that order, `Source(module, index)`. */
  readonly modules?: readonly ConfiguredModule[];
  readonly logger?: Logger;
  /** Registrations waiting for their session; when full, `register` waits for space
   * (default {@link DEFAULT_REGISTER_QUEUE_SIZE}). */
  readonly registerQueueSize?: number;
  /** Default {@link DEFAULT_MAX_SESSION_ROUNDS}; exceeding it fails the registration. */
  readonly maxSessionRounds?: number;
  /** Default {@link DEFAULT_MAX_MODULE_EVENTS}; exceeding it fails the registration. */
  readonly maxModuleEvents?: number;
  /**
   * Largest event, as encoded (default `DEFAULT_MAX_EVENT_SIZE`, what fits a 64 MiB frame): a
   * registration with a larger event, or a JSON payload nested deeper than `MAX_PAYLOAD_DEPTH`,
   * fails (`ERR_INVALID_ARGUMENT` from `register`; a failed session for module output).
   */
  readonly maxEventSize?: number;
  /** Answers `EngineApi.getClientNames()`; without it the list is empty. */
  readonly eventerServer?: ClientNameSource;
  /** Called by `EngineApi.restart()`; the engine runner passes its restart trigger. */
  readonly onRestart?: () => void;
  /** Clock of session timestamps (default `timestampNow`, a wall-anchored monotonic clock with
   * microseconds); tests inject one. The engine makes its readings strictly increase. */
  readonly clock?: () => Timestamp;
}

/** {@link EngineOptions} with defaults filled and numbers checked. */
export interface ResolvedEngineOptions {
  readonly backend: Backend;
  readonly serverId: number;
  readonly modules: readonly ConfiguredModule[];
  readonly logger: Logger;
  readonly registerQueueSize: number;
  readonly maxSessionRounds: number;
  readonly maxModuleEvents: number;
  readonly maxEventSize: number;
  readonly eventerServer: ClientNameSource | undefined;
  readonly onRestart: (() => void) | undefined;
  readonly clock: () => Timestamp;
}

/** Fills defaults; throws `ERR_INVALID_ARGUMENT` naming the first bad number. */
export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  const resolved: ResolvedEngineOptions = {
    backend: options.backend,
    serverId: options.serverId,
    modules: options.modules ?? [],
    logger: options.logger ?? noopLogger,
    registerQueueSize: options.registerQueueSize ?? DEFAULT_REGISTER_QUEUE_SIZE,
    maxSessionRounds: options.maxSessionRounds ?? DEFAULT_MAX_SESSION_ROUNDS,
    maxModuleEvents: options.maxModuleEvents ?? DEFAULT_MAX_MODULE_EVENTS,
    maxEventSize: options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE,
    eventerServer: options.eventerServer,
    onRestart: options.onRestart,
    clock: options.clock ?? timestampNow,
  };
  checkInteger('serverId', resolved.serverId, 0);
  checkInteger('registerQueueSize', resolved.registerQueueSize, 1);
  checkInteger('maxSessionRounds', resolved.maxSessionRounds, 1);
  checkInteger('maxModuleEvents', resolved.maxModuleEvents, 0);
  checkInteger('maxEventSize', resolved.maxEventSize, 1);
  return resolved;
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw invalidArgument(`${name} must be an integer >= ${min}, got ${value}`);
  }
}
