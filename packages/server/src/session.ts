import { eventLimitProblem } from '@eventum/core';
import type { Event, Logger, RegisterEvent, Timestamp } from '@eventum/core';

import type { Module, ProcessResult } from './module.js';
import { formatSource } from './source.js';
import type { Source } from './source.js';

/** A created module with the source its output carries. */
export interface SessionModule {
  readonly source: Source;
  readonly module: Module;
}

/** Guards against modules that keep answering each other's events forever. */
export interface SessionLimits {
  /** Rounds of module processing per session; output of the last allowed round fails it. */
  readonly maxRounds: number;
  /** Events modules may add to one session (the request's own events do not count). */
  readonly maxModuleEvents: number;
  /** Largest event a module may add (see `eventLimitProblem`). */
  readonly maxEventSize: number;
}

/** One queued registration turned into a session: its id, its single timestamp, its input. */
export interface SessionRequest {
  readonly serverId: number;
  readonly sessionId: number;
  readonly timestamp: Timestamp;
  readonly source: Source;
  readonly events: readonly RegisterEvent[];
}

export interface SessionContext {
  readonly modules: readonly SessionModule[];
  readonly limits: SessionLimits;
  readonly logger: Logger;
  /** Aborted when the engine closes: no module is called after that. */
  readonly signal: AbortSignal;
}

type SourcedEvent = readonly [Source, Event];

/**
 * Runs one session (Hat's `_process_sessions`): `onSessionStart` of every module, then
 * breadth-first rounds (each module in order sees every matching event of the round; what it
 * returns is added to the session and fed to the next round with the module's source), then
 * `onSessionStop` of every module. Resolves with all events of the session, request events
 * first, instances 1, 2, … in creation order. Rejects if a module call fails or a limit is hit;
 * the modules whose `onSessionStart` ran then still get `onSessionStop` (errors only logged),
 * unless the engine is closing.
 */
export function runSession(context: SessionContext, request: SessionRequest): Promise<Event[]> {
  if (context.modules.length === 0) return Promise.resolve(sessionEvents(request));
  return runModules(context, request);
}

/** A session without modules: the request's events with their ids and timestamp, at once. */
export function sessionEvents(request: SessionRequest): Event[] {
  const builder = new SessionBuilder(request);
  for (const event of request.events) builder.add(event);
  return builder.events;
}

async function runModules(context: SessionContext, request: SessionRequest): Promise<Event[]> {
  const builder = new SessionBuilder(request);
  const input = request.events.map((e): SourcedEvent => [request.source, builder.add(e)]);
  let started = 0;
  try {
    for (const { source, module } of context.modules) {
      context.signal.throwIfAborted();
      started += 1;
      await callModule(source, 'onSessionStart', () => module.onSessionStart?.(request.sessionId));
    }
    await processRounds(context, builder, input);
  } catch (error) {
    if (!context.signal.aborted)
      await stopModules(context, request, context.modules.slice(0, started));
    throw error;
  }
  const failure = await stopModules(context, request, context.modules);
  if (failure !== undefined) throw failure;
  return builder.events;
}

/** Assigns ids (one session, consecutive instances) and the session timestamp. */
class SessionBuilder {
  readonly events: Event[] = [];
  readonly #request: SessionRequest;

  constructor(request: SessionRequest) {
    this.#request = request;
  }

  add(registerEvent: RegisterEvent): Event {
    const { serverId, sessionId, timestamp } = this.#request;
    const event: Event = {
      id: { server: serverId, session: sessionId, instance: this.events.length + 1 },
      type: registerEvent.type,
      timestamp,
      sourceTimestamp: registerEvent.sourceTimestamp ?? null,
      payload: registerEvent.payload ?? null,
    };
    this.events.push(event);
    return event;
  }
}

async function processRounds(
  context: SessionContext,
  builder: SessionBuilder,
  firstInput: readonly SourcedEvent[],
): Promise<void> {
  const requestCount = firstInput.length;
  let input = firstInput;
  for (let round = 1; input.length > 0; round++) {
    if (round > context.limits.maxRounds) {
      throw new Error(
        `modules still produced events after ${context.limits.maxRounds} rounds ` +
          '(maxSessionRounds); is a module answering its own output?',
      );
    }
    input = await processRound(context, builder, input, requestCount);
  }
}

async function processRound(
  context: SessionContext,
  builder: SessionBuilder,
  input: readonly SourcedEvent[],
  requestCount: number,
): Promise<SourcedEvent[]> {
  const output: SourcedEvent[] = [];
  for (const { source, module } of context.modules) {
    for (const [inputSource, event] of input) {
      if (!module.subscription.matches(event.type)) continue;
      context.signal.throwIfAborted();
      const budget = context.limits.maxModuleEvents - (builder.events.length - requestCount);
      const created = await callModule(source, 'process', () =>
        collect(module.process(inputSource, event), budget, context.limits.maxEventSize),
      );
      for (const registerEvent of created) output.push([source, builder.add(registerEvent)]);
    }
  }
  return output;
}

/** Gathers a process result into an array, checking each event and the session's budget (so an
 * endless generator fails instead of hanging). */
async function collect(
  result: ProcessResult,
  budget: number,
  maxEventSize: number,
): Promise<RegisterEvent[]> {
  const value = await result;
  if (value === null || value === undefined) return [];
  const out: RegisterEvent[] = [];
  const push = (registerEvent: RegisterEvent): void => {
    const problem = registerEventProblem(registerEvent, maxEventSize);
    if (problem !== undefined) throw new Error(`returned an invalid event: ${problem}`);
    if (out.length >= budget) {
      throw new Error('exceeded the events modules may add to one session (maxModuleEvents)');
    }
    out.push(registerEvent);
  };
  if (Symbol.asyncIterator in value) {
    for await (const registerEvent of value) push(registerEvent);
  } else {
    for (const registerEvent of value) push(registerEvent);
  }
  return out;
}

/** Why `value` is not a usable `RegisterEvent` within the size and depth limits, or
 * `undefined` if it is. */
export function registerEventProblem(value: unknown, maxEventSize: number): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const type = (value as { type?: unknown }).type;
  if (!isStringArray(type)) return 'type is not an array of strings';
  return eventLimitProblem(value as RegisterEvent, maxEventSize);
}

/** A loop, not `every`: this runs for each registered event, and on the frozen type arrays the
 * decoder shares `every` with its callback cost several times as much (docs/performance.md). */
function isStringArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

async function stopModules(
  context: SessionContext,
  request: SessionRequest,
  modules: readonly SessionModule[],
): Promise<Error | undefined> {
  let failure: Error | undefined;
  for (const { source, module } of modules) {
    try {
      await callModule(source, 'onSessionStop', () => module.onSessionStop?.(request.sessionId));
    } catch (error) {
      failure ??= error as Error;
      context.logger.error('module failed to stop session', {
        session: request.sessionId,
        error: (error as Error).message,
      });
    }
  }
  return failure;
}

/** Calls into a module, naming the module and the call in any error it throws. */
async function callModule<T>(source: Source, call: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${formatSource(source)} ${call}: ${message}`, { cause: error });
  }
}
