import type { Event } from './events.js';

/**
 * The functional style (Emmett's decider): state is a value folded from events, commands are
 * decided against it. `decide` returns the new events (none, one or several) or throws to
 * reject the command; it must not mutate `state`. `evolve` must be pure: it runs again on every
 * load and on every retry.
 */
export interface Decider<S, C, E extends Event> {
  /** Names the stream kind; snapshots of this decider's state are stored under it. */
  readonly name: string;
  decide(command: C, state: S): E | readonly E[];
  evolve(state: S, event: E): S;
  initialState(): S;
  /** Version of the snapshot state this decider writes (default 1). */
  readonly snapshotVersion?: number;
  /** Snapshot-state upcasters: `upcastSnapshot[n]` turns version-n state into version n+1. */
  readonly upcastSnapshot?: Readonly<Record<number, (state: any) => unknown>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Events a decide call returned, as an array. */
export function decisions<E>(result: E | readonly E[]): readonly E[] {
  return Array.isArray(result) ? (result as readonly E[]) : [result as E];
}
