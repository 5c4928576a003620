import { encodeEvent, registerSkipReason, rememberEventEncoding } from '@eventum/core';
import type { Event, Logger } from '@eventum/core';

import { timeseriesKey } from './keys.js';
import type { LatestIndex } from './latest.js';
import type { TypeRouter } from './routes.js';
import type { Generation, StagedEvent } from './staging.js';
import type { ServerState } from './system.js';

/** What staging reads and updates. */
export interface StagingContext {
  readonly router: TypeRouter;
  readonly latest: LatestIndex;
  readonly servers: Map<number, ServerState>;
  readonly logger: Logger;
}

/**
 * Hat's register algorithm for one event (hat-event.md §4.4.5), into `generation` (sequence
 * number `sequence`). Skips (with a warning) an event whose id does not advance, whose timestamp
 * goes back, or that fails its conditions; returns false for those. An accepted event advances
 * its server's last id and timestamp even when no latest or timeseries subscription matches it
 * (Hat does not, and may then reuse its id after a restart).
 */
export function stageEvent(
  context: StagingContext,
  event: Event,
  generation: Generation,
  sequence: number,
): boolean {
  const server = event.id.server;
  const state = context.servers.get(server);
  const route = context.router.route(event.type);
  const skip = registerSkipReason(event, state, route.conditions);
  if (skip !== undefined) {
    context.logger.warn(skip, { id: event.id, type: event.type });
    return false;
  }
  if (state === undefined) {
    context.servers.set(server, { lastId: event.id, lastTimestamp: event.timestamp });
  } else {
    state.lastId = event.id;
    state.lastTimestamp = event.timestamp;
  }
  generation.servers.add(server);
  generation.count++;
  if (!route.latest && route.partitions.length === 0) return true;
  const keys: Buffer[] = [];
  const value = encodeEvent(event);
  // The reply to the registering client and the notifications send these bytes too.
  rememberEventEncoding(event, value);
  const staged: StagedEvent = { event, value, keys, latestRef: -1 };
  for (const partition of route.partitions) {
    const time = partition.orderBy === 'timestamp' ? event.timestamp : event.sourceTimestamp;
    if (time === null) continue;
    const key = timeseriesKey(partition.id, time, event.id);
    keys.push(key);
    generation.partition(partition.id).push(key, staged);
  }
  if (route.latest) context.latest.offer(route.key, staged, generation, sequence);
  if (keys.length > 0 || staged.latestRef >= 0) generation.addStored(staged);
  return true;
}
