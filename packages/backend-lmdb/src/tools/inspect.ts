import { timestampFromBytes } from '@eventum/core';
import type { EventId, EventType, OrderBy, Timestamp } from '@eventum/core';

import { closeEnvironment, openReadOnlyEnvironment } from '../environment.js';
import type { BinaryDb } from '../environment.js';
import { readEventId, readU64, u64Key } from '../keys.js';
import { readPartitions } from '../partitions.js';
import { SettingsId } from '../system.js';
import { timestampRecord } from './json.js';

/** What {@link inspectLmdb} reports about an LMDB file. */
export interface LmdbInspection {
  readonly path: string;
  /** Decoded SYSTEM_SETTINGS (`null` when absent). */
  readonly settings: { readonly version: unknown; readonly identifier: unknown };
  readonly servers: readonly {
    readonly serverId: number;
    readonly lastEventId: EventId;
    readonly lastTimestamp: Timestamp | null;
    /** The engine's reserved session ceiling (SYSTEM_RESERVED_SESSION); null when none. */
    readonly reservedSession: number | null;
  }[];
  readonly partitions: readonly {
    readonly partitionId: number;
    readonly orderBy: OrderBy;
    readonly subscriptions: readonly EventType[];
    /** Entries (TIMESERIES_COUNT). */
    readonly count: number;
    /** Bytes of keys plus values (TIMESERIES_SIZE; null in files written by Hat). */
    readonly size: number | null;
  }[];
  /** Records in LATEST_DATA. */
  readonly latestCount: number;
  /** Records in REF (stored events). */
  readonly refCount: number;
}

/**
 * Summarises an LMDB file (read-only; it may be in use by a server): settings, last id,
 * timestamp and reserved session per server, partitions with their counts, and record counts. Throws `ERR_NOT_FOUND`
 * for a missing file.
 */
export async function inspectLmdb(path: string): Promise<LmdbInspection> {
  const env = await openReadOnlyEnvironment(path);
  try {
    const { dbs } = env;
    return {
      path,
      settings: {
        version: readSetting(dbs.SYSTEM_SETTINGS, SettingsId.Version),
        identifier: readSetting(dbs.SYSTEM_SETTINGS, SettingsId.Identifier),
      },
      servers: [...entries(dbs.SYSTEM_LAST_EVENT_ID)].map(({ key, value }) => {
        const timestamp = dbs.SYSTEM_LAST_TIMESTAMP?.get(key);
        return {
          serverId: readU64(key),
          lastEventId: readEventId(value),
          lastTimestamp: timestamp === undefined ? null : timestampFromBytes(timestamp),
          reservedSession: readCount(dbs.SYSTEM_RESERVED_SESSION, readU64(key)),
        };
      }),
      partitions: [...readPartitions(env)].map(([partitionId, data]) => ({
        partitionId,
        orderBy: data.order,
        subscriptions: data.subscriptions,
        count: readCount(dbs.TIMESERIES_COUNT, partitionId) ?? 0,
        size: readCount(dbs.TIMESERIES_SIZE, partitionId),
      })),
      latestCount: dbs.LATEST_DATA?.getCount() ?? 0,
      refCount: dbs.REF?.getCount() ?? 0,
    };
  } finally {
    await closeEnvironment(env);
  }
}

/** The inspection as plain JSON (timestamps as `{s, us}`, snake_case keys). */
export function inspectionRecord(inspection: LmdbInspection): Record<string, unknown> {
  return {
    path: inspection.path,
    settings: inspection.settings,
    servers: inspection.servers.map((s) => ({
      server_id: s.serverId,
      last_event_id: s.lastEventId,
      last_timestamp: s.lastTimestamp === null ? null : timestampRecord(s.lastTimestamp),
      reserved_session: s.reservedSession,
    })),
    partitions: inspection.partitions.map((p) => ({
      partition_id: p.partitionId,
      order: p.orderBy,
      subscriptions: p.subscriptions,
      count: p.count,
      size: p.size,
    })),
    latest_count: inspection.latestCount,
    ref_count: inspection.refCount,
  };
}

function* entries(db: BinaryDb | undefined): Iterable<{ key: Buffer; value: Buffer }> {
  if (db !== undefined) yield* db.getRange({});
}

function readSetting(db: BinaryDb | undefined, id: number): unknown {
  const value = db?.get(u64Key(id));
  return value === undefined ? null : (JSON.parse(value.toString('utf8')) as unknown);
}

function readCount(db: BinaryDb | undefined, id: number): number | null {
  const value = db?.get(u64Key(id));
  return value === undefined ? null : readU64(value);
}
