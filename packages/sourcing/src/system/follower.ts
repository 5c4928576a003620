import {
  ErrorCode,
  EventumError,
  GroupResource,
  invalidArgument,
  isEventumError,
  noopLogger,
} from '@eventum/core';
import type { Logger, Notification, Tracking } from '@eventum/core';

import { sleep } from '../abort.js';
import { ConflictError } from '../errors.js';
import type { LeaderLog, Prompt } from './leader-log.js';
import { isAlreadyTracked, park, SYSTEM_TOPIC_PREFIX } from './parked.js';
import { ProcessingEvent } from './process-application.js';
import type { ProcessApplication } from './process-application.js';
import { Positions } from './positions.js';
import { errorPolicy, processingError } from './error-policy.js';
import type { ErrorPolicy } from './error-policy.js';

export type { ErrorPolicy } from './error-policy.js';

/** Options of a {@link Follower}. */
export interface FollowerOptions {
  readonly errorPolicy?: ErrorPolicy;
  /** The safety timer: a pull every `pollMs` (default 1000; 0 = none), so a lost prompt never
   * stalls the follower. */
  readonly pollMs?: number;
  /** Notifications read per pull (default 100). */
  readonly batchSize?: number;
  readonly logger?: Logger;
}

/** The state of one follower → leader edge. */
export interface FollowerStatus {
  readonly application: string;
  readonly leader: string;
  /** The greatest id of the leader's log this follower has processed (or skipped). */
  readonly position: number;
  readonly leaderMax: number;
  /** Notifications of the leader not processed yet (counted up to 10,000). */
  readonly lag: number;
  readonly state: 'caught-up' | 'behind' | 'stopped';
  readonly error?: string;
}

const LAG_CAP = 10_000;

/**
 * Runs a process application's policy over the logs of the applications it follows, one event
 * at a time, each in its own transaction with its tracking record (exactly-once effect; a
 * repeated delivery finds the tracking record and is skipped). Prompts push gapless logs'
 * notifications (checked against `previousMax`: a gap falls back to reading), or only wake it.
 *
 * `drain()` processes until every leader is exhausted and throws what the error policy did
 * not absorb; `start()` runs it in the background on prompts and on the safety timer.
 */
export class Follower extends GroupResource {
  readonly app: ProcessApplication;
  readonly #leaders: ReadonlyMap<string, LeaderLog>;
  readonly #topics: readonly string[];
  readonly #policy: Required<ErrorPolicy>;
  readonly #options: FollowerOptions;
  readonly #logger: Logger;
  readonly positions = new Positions();
  readonly #pushed = new Map<string, Notification[]>();
  readonly #pull = new Set<string>();
  #running: Promise<void> | undefined;
  #stopped: Error | undefined;
  #onError: ((error: Error) => void) | undefined;

  constructor(
    app: ProcessApplication,
    leaders: readonly LeaderLog[],
    options: FollowerOptions = {},
  ) {
    super();
    this.app = app;
    this.#leaders = new Map(leaders.map((l) => [l.name, l]));
    const cls = app.constructor as typeof ProcessApplication;
    this.#topics = cls.followTopics;
    this.#policy = errorPolicy(options.errorPolicy);
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.group.onClose(async () => {
      // The applications close after their followers: let the event under way finish.
      await this.#running;
      this.positions.close(new EventumError(ErrorCode.Closed, `follower ${app.name} closed`));
    });
  }

  /** Reads the tracked positions; call once before prompting. */
  async init(): Promise<void> {
    for (const name of this.#leaders.keys()) {
      this.positions.set(name, await this.app.events.recorder.maxTrackingId(name));
      this.#pull.add(name);
    }
  }

  /** Runs in the background: pulls now (a backlog left before a restart), on prompts, and on
   * the safety timer. `onError` hears the error that stopped it (policy `'stop'`). */
  start(onError?: (error: Error) => void): void {
    this.#onError = onError;
    const pollMs = this.#options.pollMs ?? 1000;
    if (pollMs > 0) {
      this.group.spawn(async (signal) => {
        while (!signal.aborted) {
          await sleep('follower safety timer', pollMs, signal).catch(() => undefined);
          if (!signal.aborted) this.wake();
        }
      });
    }
    this.wake();
  }

  /** Takes a leader's prompt: queues pushed notifications that continue exactly where this
   * follower is, else marks the leader for a read. Returns at once. */
  receive(prompt: Prompt): void {
    const leader = this.#leaders.get(prompt.leader);
    if (leader === undefined) return;
    const queue = this.#pushed.get(prompt.leader) ?? [];
    const reached = queue.at(-1)?.id ?? this.positions.get(prompt.leader);
    if (prompt.max <= reached) return;
    if (prompt.notifications !== undefined && leader.gapless && prompt.previousMax === reached) {
      queue.push(...prompt.notifications);
      this.#pushed.set(prompt.leader, queue);
    } else {
      this.#pushed.delete(prompt.leader);
      this.#pull.add(prompt.leader);
    }
  }

  /** Marks every leader for a read and, when started, processes in the background. */
  wake(): void {
    for (const name of this.#leaders.keys()) this.#pull.add(name);
    this.kick();
  }

  /** Processes in the background what prompts queued (after `start`). */
  kick(): void {
    if (this.#onError === undefined || this.#stopped !== undefined || this.isClosed) return;
    this.#running ??= this.drain()
      .catch((error: unknown) => this.#failed(error as Error))
      .finally(() => {
        this.#running = undefined;
        if (this.#pull.size > 0 || this.#pushed.size > 0) this.kick();
      });
  }

  /** Processes until nothing is queued and every marked leader's log is exhausted. */
  async drain(): Promise<void> {
    while (!this.isClosed && (this.#pull.size > 0 || this.#pushed.size > 0)) {
      for (const [name, queue] of [...this.#pushed]) {
        this.#pushed.delete(name);
        await this.#processPushed(this.#leaders.get(name)!, queue);
      }
      for (const name of [...this.#pull]) {
        this.#pull.delete(name);
        await this.#pullAll(this.#leaders.get(name)!);
      }
    }
  }

  async #processPushed(leader: LeaderLog, queue: readonly Notification[]): Promise<void> {
    for (const n of queue) {
      const position = this.positions.get(leader.name);
      if (n.id <= position) continue;
      if (n.id !== position + 1) return void this.#pull.add(leader.name);
      if (this.#topics.length === 0 || this.#topics.includes(n.topic))
        await this.#process(leader, n);
      else this.positions.set(leader.name, n.id);
    }
  }

  async #pullAll(leader: LeaderLog): Promise<void> {
    const batchSize = this.#options.batchSize ?? 100;
    // Filtered reads skip ids; the max read first is what an exhausted read has passed.
    const seenMax = this.#topics.length > 0 ? await leader.maxNotificationId() : 0;
    for (;;) {
      const start = this.positions.get(leader.name) + 1;
      const batch = await leader.select(start, batchSize, this.#topics);
      for (const n of batch) if (!this.isClosed) await this.#process(leader, n);
      if (this.isClosed) return;
      if (batch.length < batchSize) return this.positions.set(leader.name, seenMax);
    }
  }

  /** One event: policy and record, retried with back-off, then parked or thrown. */
  async #process(leader: LeaderLog, n: Notification): Promise<void> {
    const tracking = { applicationName: leader.name, notificationId: n.id };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#processOnce(leader, n, tracking);
        break;
      } catch (error) {
        if (await this.#processedElsewhere(error, tracking)) break;
        if (attempt <= this.#policy.retries && !this.isClosed) {
          const ms = Math.min(
            this.#policy.backoffMs * 2 ** (attempt - 1),
            this.#policy.maxBackoffMs,
          );
          await sleep('follower back-off', ms, this.group.signal);
          continue;
        }
        const failure = processingError(this.app.name, leader.name, n, error);
        if (this.#policy.then === 'stop') throw failure;
        this.#logger.warn(failure.message, { parked: true, attempts: attempt });
        await park(this.app, n, tracking, { error: failure.message, attempts: attempt }).catch(
          async (e: unknown) => {
            if (!(await this.#processedElsewhere(e, tracking))) throw e;
          },
        );
        break;
      }
    }
    this.positions.set(leader.name, n.id);
  }

  async #processOnce(leader: LeaderLog, n: Notification, tracking: Tracking): Promise<void> {
    const event = leader.toDomain(n);
    const processing = new ProcessingEvent(tracking, event);
    if (!n.topic.startsWith(SYSTEM_TOPIC_PREFIX))
      await this.app.policy(event, processing, leader.name);
    await this.app.record(processing);
  }

  /** A conflict may mean another delivery (another process) recorded this event first: its
   * tracking record says so, whatever the conflict was about (its events may collide first). */
  async #processedElsewhere(error: unknown, tracking: Tracking): Promise<boolean> {
    if (isAlreadyTracked(error)) return true;
    if (!(error instanceof ConflictError)) return false;
    const { applicationName, notificationId } = tracking;
    return this.app.events.recorder.hasTrackingId(applicationName, notificationId);
  }

  /** A policy failure the error policy did not absorb stops the follower; a failed read (a
   * leader unreachable for a while) is logged and retried on the next prompt or timer tick. */
  #failed(error: Error): void {
    if (!isEventumError(error, 'ERR_PROCESSING')) {
      if (!this.isClosed)
        this.#logger.warn(`follower ${this.app.name}: reading failed`, { error: error.message });
      return;
    }
    this.#stop(error);
  }

  #stop(error: Error): void {
    this.#stopped = error;
    this.#logger.error(`follower ${this.app.name} stopped`, { error: error.message });
    this.#onError?.(error);
  }

  /** Clears a stop (after the cause was fixed) and resumes from the tracked position. */
  resume(): void {
    this.#stopped = undefined;
    this.wake();
  }

  /** Resolves once `leader`'s notification `position` is processed; `ERR_TIMEOUT` after
   * `timeoutMs`. */
  waitFor(leader: string, position: number, timeoutMs: number): Promise<void> {
    if (!this.#leaders.has(leader))
      throw invalidArgument(`${this.app.name} does not follow ${leader}`);
    return this.positions.waitFor(leader, position, timeoutMs, this.app.name);
  }

  /** Position, leader's max, lag and state per leader. */
  async status(): Promise<FollowerStatus[]> {
    const out: FollowerStatus[] = [];
    for (const leader of this.#leaders.values()) {
      const position = this.positions.get(leader.name);
      const leaderMax = await leader.maxNotificationId();
      const lag = leader.gapless
        ? Math.max(0, leaderMax - position)
        : (await leader.select(position + 1, LAG_CAP, this.#topics)).length;
      const state = this.#stopped ? 'stopped' : lag === 0 ? 'caught-up' : 'behind';
      const error = this.#stopped?.message;
      const base = { application: this.app.name, leader: leader.name, position, leaderMax, lag };
      out.push({ ...base, state, ...(error === undefined ? {} : { error }) });
    }
    return out;
  }
}
