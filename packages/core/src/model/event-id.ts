/**
 * Server-assigned identity of an event: the origin server, the engine session that created it
 * (1, 2, … per server; 0 = before the first session) and its instance within the session
 * (1, 2, …; 0 = before the first instance). All three are non-negative safe integers.
 */
export interface EventId {
  readonly server: number;
  readonly session: number;
  readonly instance: number;
}

/**
 * Orders ids by (server, session, instance): negative, 0 or positive. Only ids of the same server
 * are ordered in registration order; across servers the order means nothing (compare events with
 * `compareEvents` instead).
 */
export function compareEventIds(a: EventId, b: EventId): number {
  if (a.server !== b.server) return a.server < b.server ? -1 : 1;
  if (a.session !== b.session) return a.session < b.session ? -1 : 1;
  if (a.instance !== b.instance) return a.instance < b.instance ? -1 : 1;
  return 0;
}

/** True when all three fields are equal. Compares values, never identity. */
export function eventIdEquals(a: EventId, b: EventId): boolean {
  return a.server === b.server && a.session === b.session && a.instance === b.instance;
}
