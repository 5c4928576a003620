import { encodeEvent, registerSkipReason, rememberEventEncoding } from '@eventum/core';
import type { Event, Logger } from '@eventum/core';

import type { TypeRouter } from './routes.js';
import type { Generation, ServerState } from './staging.js';

/** What staging reads and updates. */
export interface StagingState {
  readonly router: TypeRouter;
  readonly servers: Map<number, ServerState>;
}

/**
 * Hat's register algorithm for one event (hat-event.md §4.4.5), into `generation`. Skips (with a
 * warning) an event whose id does not advance, whose timestamp goes back, or that fails its
 * conditions; returns false for those. An accepted event advances its server's last id even when
 * it is stored nowhere (no latest or partition matches it), so its id is never handed out again.
 */
export function stageEvent(
  state: StagingState,
  logger: Logger,
  event: Event,
  generation: Generation,
): boolean {
  const server = event.id.server;
  const route = state.router.route(event.type);
  const skip = registerSkipReason(event, state.servers.get(server), route.conditions);
  if (skip !== undefined) {
    logger.warn(skip, { id: event.id, type: event.type });
    return false;
  }
  const next = { lastId: event.id, lastTimestamp: event.timestamp };
  state.servers.set(server, next);
  generation.servers.set(server, next);
  generation.count++;
  let partitions = 0;
  for (const p of route.partitions) {
    if (p.orderBy === 'timestamp' || event.sourceTimestamp !== null) partitions |= p.bit;
  }
  if (partitions === 0 && route.latestKey === null) return true;
  const encoded = encodeEvent(event);
  // The reply to the registering client and the notifications send these bytes too.
  rememberEventEncoding(event, encoded);
  generation.add({ event, encoded, partitions, latestKey: route.latestKey });
  return true;
}
