import { boundedPage, compareEventIds, compareEvents, invalidArgument } from '@eventum/core';
import type {
  Conditions,
  Event,
  QueryLatestParams,
  QueryResult,
  QueryServerParams,
  Subscription,
} from '@eventum/core';
import { Subscription as Types } from '@eventum/core';

import { readEvents } from './rows.js';
import type { QueryView } from './rows.js';

/** What a latest query needs beyond the view. */
export interface LatestFilters {
  /** The configured `latest.subscriptions` (rows of types no longer configured are hidden). */
  readonly latest: Subscription;
  readonly conditions: Conditions;
}

/**
 * The latest event of each type: the latest table (joined with the events it points to) and the
 * staged events, the greater in Hat's natural order winning. Exact types are looked up by key;
 * wildcards read the whole table. Cut at the byte budget with `moreFollows`.
 */
export async function queryLatest(
  view: QueryView,
  filters: LatestFilters,
  params: QueryLatestParams,
): Promise<QueryResult> {
  const types = params.eventTypes ?? null;
  if (types !== null && types.length === 0) return { events: [], moreFollows: false };
  const exact = types !== null && types.every((t) => !t.some((s) => s === '*' || s === '?'));
  const join = `SELECT l.type, e.encoded FROM ${view.t}.latest l
    JOIN ${view.t}.events e USING (server_id, session_id, instance_id)`;
  const stored = exact
    ? await readEvents(view, `${join} WHERE l.type = ANY($1)`, [
        types.map((t) => JSON.stringify(t)),
      ])
    : await readEvents(view, join, []);
  const byType = new Map<string, Event>();
  const offer = (event: Event): void => {
    const key = JSON.stringify(event.type);
    const previous = byType.get(key);
    if (previous === undefined || compareEvents(previous, event) <= 0) byType.set(key, event);
  };
  stored.forEach(offer);
  for (const generation of view.generations) {
    for (const staged of generation.latest.values()) offer(staged.event);
  }
  const wanted = types === null ? null : new Types(types);
  const events = [...byType.values()].filter(
    (e) =>
      filters.latest.matches(e.type) &&
      (wanted === null || wanted.matches(e.type)) &&
      filters.conditions.matches(e),
  );
  return boundedPage(events, Infinity, view.maxResultBytes);
}

/**
 * One origin server's events after `lastEventId`, ascending ids: the stored ones, and (unless
 * `persisted`) the staged ones. `lastEventId` of another server is `ERR_INVALID_ARGUMENT`.
 */
export async function queryServer(
  view: QueryView,
  params: QueryServerParams,
): Promise<QueryResult> {
  const after = params.lastEventId ?? { server: params.serverId, session: 0, instance: 0 };
  if (after.server !== params.serverId) {
    throw invalidArgument(
      `lastEventId.server (${after.server}) differs from serverId (${params.serverId})`,
    );
  }
  const max = Math.max(0, Math.min(params.maxResults ?? view.maxResults, view.maxResults));
  const stored = await readEvents(
    view,
    `SELECT encoded FROM ${view.t}.events
      WHERE server_id = $1 AND (session_id, instance_id) > ($2, $3)
      ORDER BY session_id, instance_id LIMIT $4`,
    [params.serverId, after.session, after.instance, max + 1],
  );
  if (params.persisted === true) return boundedPage(stored, max, view.maxResultBytes);
  const staged: Event[] = [];
  for (const generation of view.generations) {
    for (const s of generation.byServer.get(params.serverId) ?? []) {
      if (compareEventIds(s.event.id, after) > 0) staged.push(s.event);
    }
  }
  const merged = [...stored, ...staged].sort((a, b) => compareEventIds(a.id, b.id));
  // A flush whose commit answer was lost may leave an event both stored and staged.
  const unique = merged.filter((e, i) => i === 0 || compareEventIds(merged[i - 1]!.id, e.id) !== 0);
  return boundedPage(unique.slice(0, max + 1), max, view.maxResultBytes);
}
