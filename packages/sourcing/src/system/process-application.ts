import type { Tracking } from '@eventum/core';

import type { Aggregate } from '../aggregate.js';
import { Application } from '../application.js';
import { causedBy, makeMeta } from '../events.js';
import type { CausalMeta, Event, Recorded } from '../events.js';
import { decisions } from '../decider.js';
import type { Decider } from '../decider.js';

/**
 * What a policy produces for one upstream event: the aggregates it changed. Their pending events
 * are recorded together with the tracking record of the upstream event, in one transaction
 * (never call `save` in a policy: those events would be stored without the tracking record, so
 * a crash between the two would process the event twice).
 */
export class ProcessingEvent {
  readonly tracking: Tracking;
  /** Correlation and causation of the events caused by the upstream event. */
  readonly causal: CausalMeta;
  readonly #collected: Recorded[] = [];

  constructor(tracking: Tracking, cause: Recorded) {
    this.tracking = tracking;
    this.causal = causedBy(cause);
  }

  /** Collects the pending events of `aggregates`, stamped with the upstream event's correlation
   * id and with it as their causation. Order is kept: aggregates in the order given. */
  collect(...aggregates: Aggregate[]): void {
    for (const aggregate of aggregates) {
      for (const e of aggregate.collectEvents()) {
        this.#collected.push({ ...e, meta: { ...e.meta, ...this.causal } });
      }
    }
  }

  /** Collects events a decider decided for stream `streamId` at `version` (the version its
   * state was loaded at): they take the next versions, stamped like {@link collect}'s. */
  collectDecided(streamId: string, version: number, events: readonly Event[]): void {
    for (const [i, e] of events.entries()) {
      const meta = { ...makeMeta(streamId, version + i + 1), ...this.causal };
      this.#collected.push({ type: e.type, data: e.data, meta });
    }
  }

  /** The events collected so far. */
  get events(): readonly Recorded[] {
    return this.#collected;
  }
}

/** An application class a {@link System} can construct (the constructor of `Application`). */
export type ApplicationClass<A extends Application = Application> = new (
  ...args: ConstructorParameters<typeof Application>
) => A;

/**
 * An application that follows others (the Python library's `ProcessApplication`): each event of
 * a followed application's log goes through {@link ProcessApplication.policy}; the events it
 * collects and the tracking record are stored in one transaction. It also leads: its own
 * events prompt its followers. Who it follows, and how, is set by a {@link System} and a runner.
 */
export abstract class ProcessApplication extends Application {
  /** Only notifications of these topics (event types) are read; all when empty. */
  static followTopics: readonly string[] = [];

  /**
   * Turns one upstream event into new events: load aggregates with `this.get`, run commands
   * on them, and hand them to `processing.collect`. Throwing fails this event (the follower's
   * error policy decides: retry, park or stop). `leaderName` names the followed application.
   */
  abstract policy(
    event: Recorded,
    processing: ProcessingEvent,
    leaderName: string,
  ): void | Promise<void>;

  /**
   * The functional style in a policy: loads decider stream `id`, decides `command` on it and
   * collects the decided events into `processing` (stored with the tracking record; a stream
   * changed meanwhile is `ERR_CONFLICT` at the record, and the error policy retries from the
   * load). Resolves with the state after the events.
   */
  async decide<S, C, E extends Event>(
    processing: ProcessingEvent,
    decider: Decider<S, C, E>,
    id: string,
    command: C,
  ): Promise<S> {
    const { state, version } = await this.load(decider, id);
    const events = decisions(decider.decide(command, state));
    processing.collectDecided(id, version, events);
    return events.reduce((s, e) => decider.evolve(s, e), state);
  }

  /** Records what the policy collected with the tracking record, atomically. A tracking record
   * already stored means another delivery processed the event: `ERR_CONFLICT` (`tracking`). */
  async record(processing: ProcessingEvent): Promise<number[]> {
    this.group.assertOpen(`application ${this.name}`);
    return this.events.put(processing.events, { tracking: processing.tracking });
  }
}

/** True when `cls` builds process applications. */
export function isProcessClass(cls: ApplicationClass): boolean {
  return cls.prototype instanceof ProcessApplication;
}
