import type { Tracking } from '@eventum/core';

import type { Aggregate } from '../aggregate.js';
import { Application } from '../application.js';
import { causedBy } from '../events.js';
import type { CausalMeta, Recorded } from '../events.js';

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
