import type { Resource } from './resource.js';

/**
 * The right to be the active server of a redundant group, granted by an existing coordinator (a
 * PostgreSQL advisory lock, a key-value lease), never decided by eventum itself. At most one
 * holder at a time as far as the coordinator can tell; `held` turns false as soon as the holder
 * can no longer be sure it holds it (its connection to the coordinator failed), and the lease
 * keeps trying to get it back. Closing gives it up.
 */
export interface ActivityLease extends Resource {
  readonly held: boolean;
  /** Calls `listener` after every change of `held`; returns the function that stops it. */
  onChange(listener: (held: boolean) => void): () => void;
}
