import { Subscription, decodeEvent, timestampFromBytes } from '@eventum/core';
import type { EventType } from '@eventum/core';

import { closeEnvironment, openReadOnlyEnvironment } from '../environment.js';
import type { BinaryDb, ReadOnlyEnvironment } from '../environment.js';
import {
  EVENT_ID_BYTES,
  eventIdKey,
  lowKey,
  parseTimeseriesKey,
  readEventId,
  readU64,
  u64Key,
} from '../keys.js';
import { decodeRefs } from '../refs.js';
import { eventRecord, timestampRecord } from './json.js';
import type { ToolRecord } from './json.js';

/** The record kinds {@link readLmdb} reads (Hat's `hat-event-lmdb-manager query` names). */
export type LmdbRecordKind =
  'settings' | 'last_event_id' | 'last_timestamp' | 'ref' | 'latest' | 'partition' | 'timeseries';

/** Filters of {@link readLmdb}; each applies to the kinds that have the field. */
export interface LmdbReadFilters {
  /** `last_event_id`, `last_timestamp`, `ref`, `timeseries`. */
  readonly serverId?: number;
  /** `partition`, `timeseries`. */
  readonly partitionId?: number;
  /** `latest`, `timeseries` (query types, wildcards allowed). */
  readonly eventTypes?: readonly EventType[];
}

/**
 * Reads raw records of one kind from an LMDB file (read-only), lazily, in key order, as
 * JSON-able objects: `settings` → `{settings_id, data}`; `last_event_id` → `{server, session,
 * instance}`; `last_timestamp` → `{server_id, timestamp}`; `ref` → `{event_id, ref_type:
 * 'latest', event_type}` or `{event_id, ref_type: 'timeseries', partition_id, timestamp}`;
 * `partition` → `{partition_id, data}`; `latest` and `timeseries` → events. The file is closed
 * when the iteration ends. Throws `ERR_NOT_FOUND` for a missing file.
 */
export async function* readLmdb(
  path: string,
  kind: LmdbRecordKind,
  filters: LmdbReadFilters = {},
): AsyncGenerator<ToolRecord, void, undefined> {
  const env = await openReadOnlyEnvironment(path);
  try {
    yield* records(env, kind, filters);
  } finally {
    await closeEnvironment(env);
  }
}

function records(
  env: ReadOnlyEnvironment,
  kind: LmdbRecordKind,
  filters: LmdbReadFilters,
): Iterable<ToolRecord> {
  const { dbs } = env;
  switch (kind) {
    case 'settings':
      return map(range(dbs.SYSTEM_SETTINGS, null), ({ key, value }) => ({
        settings_id: settingsName(readU64(key)),
        data: JSON.parse(value.toString('utf8')) as unknown,
      }));
    case 'last_event_id':
      return map(range(dbs.SYSTEM_LAST_EVENT_ID, serverKeys(filters.serverId)), ({ value }) => ({
        ...readEventId(value),
      }));
    case 'last_timestamp':
      return map(
        range(dbs.SYSTEM_LAST_TIMESTAMP, serverKeys(filters.serverId)),
        ({ key, value }) => ({
          server_id: readU64(key),
          timestamp: timestampRecord(timestampFromBytes(value)),
        }),
      );
    case 'ref':
      return refRecords(env, filters.serverId);
    case 'latest':
      return filterEvents(range(dbs.LATEST_DATA, null), filters.eventTypes, undefined);
    case 'partition':
      return map(
        range(dbs.TIMESERIES_PARTITION, partitionKeys(filters.partitionId)),
        ({ key, value }) => ({
          partition_id: readU64(key),
          data: JSON.parse(value.toString('utf8')) as unknown,
        }),
      );
    case 'timeseries':
      return filterEvents(
        range(dbs.TIMESERIES_DATA, timeseriesKeys(filters.partitionId)),
        filters.eventTypes,
        filters.serverId,
      );
  }
}

type Entry = { key: Buffer; value: Buffer };
type KeyRange = { start: Buffer; end: Buffer } | null;

function* range(db: BinaryDb | undefined, keys: KeyRange): Iterable<Entry> {
  if (db !== undefined) yield* db.getRange(keys ?? {});
}

function* map<T>(entries: Iterable<Entry>, f: (entry: Entry) => T): Iterable<T> {
  for (const entry of entries) yield f(entry);
}

function* filterEvents(
  entries: Iterable<Entry>,
  eventTypes: readonly EventType[] | undefined,
  serverId: number | undefined,
): Iterable<ToolRecord> {
  const subscription = eventTypes === undefined ? null : new Subscription(eventTypes);
  for (const { value } of entries) {
    const event = decodeEvent(value);
    if (serverId !== undefined && event.id.server !== serverId) continue;
    if (subscription !== null && !subscription.matches(event.type)) continue;
    yield eventRecord(event);
  }
}

function* refRecords(env: ReadOnlyEnvironment, serverId: number | undefined): Iterable<ToolRecord> {
  const keys =
    serverId === undefined
      ? null
      : {
          start: eventIdKey({ server: serverId, session: 0, instance: 0 }),
          end: eventIdKey({ server: serverId + 1, session: 0, instance: 0 }),
        };
  for (const { key, value } of range(env.dbs.REF, keys)) {
    const eventId = readEventId(key.subarray(0, EVENT_ID_BYTES));
    for (const ref of decodeRefs(value)) {
      if (ref.kind === 'latest') {
        const type = env.dbs.LATEST_TYPE?.get(u64Key(ref.typeRef));
        const eventType =
          type === undefined ? null : (JSON.parse(type.toString('utf8')) as unknown);
        yield { event_id: eventId, ref_type: 'latest', event_type: eventType };
      } else {
        const parts = parseTimeseriesKey(ref.key);
        yield {
          event_id: eventId,
          ref_type: 'timeseries',
          partition_id: parts.partitionId,
          timestamp: timestampRecord(parts.time),
        };
      }
    }
  }
}

function settingsName(id: number): string | number {
  return id === 0 ? 'VERSION' : id === 1 ? 'IDENTIFIER' : id;
}

function serverKeys(serverId: number | undefined): KeyRange {
  return serverId === undefined ? null : { start: u64Key(serverId), end: u64Key(serverId + 1) };
}

function partitionKeys(partitionId: number | undefined): KeyRange {
  return partitionId === undefined
    ? null
    : { start: u64Key(partitionId), end: u64Key(partitionId + 1) };
}

function timeseriesKeys(partitionId: number | undefined): KeyRange {
  return partitionId === undefined
    ? null
    : { start: lowKey(partitionId, null), end: lowKey(partitionId + 1, null) };
}
