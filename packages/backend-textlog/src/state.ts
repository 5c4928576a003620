import { compareEvents, compareEventIds, compareTimestamps } from '@eventum/core';
import type { Event, EventId, Timestamp } from '@eventum/core';

import { readOrEmpty, writeAtomic } from './files.js';
import { formatEvent, parseEvents } from './format.js';
import { statsFromJson, statsToJson } from './span-stats.js';
import type { SpanStats, StatsJson } from './span-stats.js';

/** The sidecar file: never a span name. */
export const STATE_FILE = 'state.json';

/** The newest stored id of one origin server and its timestamp. */
export interface ServerState {
  readonly id: EventId;
  readonly timestamp: Timestamp;
}

/**
 * What the backend keeps in memory besides unflushed events: the last id per server, the
 * latest event per type, the size of every span file when the state was written and the
 * stats of every span file (ids per server, source-timestamp range; see {@link SpanStats}).
 */
export interface BackendState {
  readonly servers: Map<number, ServerState>;
  readonly latest: Map<string, Event>;
  readonly sizes: Map<string, number>;
  readonly stats: Map<string, SpanStats>;
}

interface StateFile {
  version: 1;
  servers: [number, number, number, number, number][];
  sizes: Record<string, number>;
  /** Span stats by file name; absent in files written before stats existed. */
  stats?: Record<string, StatsJson>;
  /** Latest events in the span-file block format. */
  latest: string;
}

/** The key of an event type in the latest map (JSON keeps ['a/b'] and ['a', 'b'] apart). */
export const typeKey = (event: Event): string => JSON.stringify(event.type);

/** Records `event` as stored: advances its server's last id and the latest of its type. */
export function fold(state: BackendState, event: Event): void {
  const server = state.servers.get(event.id.server);
  if (server === undefined || compareEventIds(event.id, server.id) > 0) {
    state.servers.set(event.id.server, { id: event.id, timestamp: event.timestamp });
  }
  const key = typeKey(event);
  const previous = state.latest.get(key);
  if (previous === undefined || compareEvents(previous, event) <= 0) state.latest.set(key, event);
}

/** True when `event` may be stored: its id and timestamp do not go back for its server. */
export function advances(state: BackendState, event: Event): boolean {
  const last = state.servers.get(event.id.server);
  if (last === undefined) return true;
  return (
    compareEventIds(event.id, last.id) > 0 &&
    compareTimestamps(event.timestamp, last.timestamp) >= 0
  );
}

/** Reads the state file of `dir` (an empty state when there is none). */
export async function readState(dir: string): Promise<BackendState> {
  const state: BackendState = {
    servers: new Map(),
    latest: new Map(),
    sizes: new Map(),
    stats: new Map(),
  };
  const text = (await readOrEmpty(dir, STATE_FILE)).toString('utf8');
  if (text === '') return state;
  const file = JSON.parse(text) as StateFile;
  for (const [server, session, instance, s, us] of file.servers) {
    state.servers.set(server, { id: { server, session, instance }, timestamp: { s, us } });
  }
  for (const [name, size] of Object.entries(file.sizes)) state.sizes.set(name, size);
  for (const [name, stats] of Object.entries(file.stats ?? {})) {
    state.stats.set(name, statsFromJson(stats));
  }
  for (const event of parseEvents(Buffer.from(file.latest, 'utf8'))) {
    state.latest.set(typeKey(event), event);
  }
  return state;
}

/** Replaces the state file atomically (temp file, fsync, rename). */
export async function writeState(dir: string, state: BackendState): Promise<void> {
  const file: StateFile = {
    version: 1,
    servers: [...state.servers.values()].map(({ id, timestamp }) => [
      id.server,
      id.session,
      id.instance,
      timestamp.s,
      timestamp.us,
    ]),
    sizes: Object.fromEntries(state.sizes),
    stats: Object.fromEntries([...state.stats].map(([name, stats]) => [name, statsToJson(stats)])),
    latest: [...state.latest.values()].map(formatEvent).join(''),
  };
  await writeAtomic(dir, STATE_FILE, JSON.stringify(file));
}
