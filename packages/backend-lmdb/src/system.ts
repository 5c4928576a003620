import {
  ConfigError,
  ErrorCode,
  EventumError,
  timestampFromBytes,
  timestampToBytes,
} from '@eventum/core';
import type { EventId, Timestamp } from '@eventum/core';

import type { BinaryDb, LmdbEnvironment } from './environment.js';
import { eventIdKey, readEventId, readU64, u64Key } from './keys.js';

/** Storage version written to and required from SYSTEM_SETTINGS (Hat's "0.9" layout). */
export const STORAGE_VERSION = '0.9';

/** Keys of SYSTEM_SETTINGS (Hat's `SettingsId`). */
export const SettingsId = { Version: 0, Identifier: 1 } as const;

/** The last stored id and timestamp of one origin server. */
export interface ServerState {
  lastId: EventId;
  lastTimestamp: Timestamp;
}

/**
 * Checks and updates SYSTEM_SETTINGS inside the start-up write transaction: the version must be
 * {@link STORAGE_VERSION} (written when absent); a configured `identifier` must equal the stored
 * one (stored when absent) and a null one removes it. Throws `ERR_UNSUPPORTED` for another
 * version and {@link ConfigError} for another identifier.
 */
export function checkSettings(env: LmdbEnvironment, identifier: string | null): void {
  const db = env.dbs.SYSTEM_SETTINGS;
  const version = readJson(db, SettingsId.Version);
  if (version === undefined) {
    db.putSync(u64Key(SettingsId.Version), jsonBytes(STORAGE_VERSION));
  } else if (version !== STORAGE_VERSION) {
    throw new EventumError(
      ErrorCode.Unsupported,
      `${env.path} has storage version ${JSON.stringify(version)}; this backend reads version ` +
        `${STORAGE_VERSION} only (convert the file first)`,
    );
  }
  const stored = readJson(db, SettingsId.Identifier);
  if (identifier === null) {
    if (stored !== undefined) db.removeSync(u64Key(SettingsId.Identifier));
  } else if (stored === undefined) {
    db.putSync(u64Key(SettingsId.Identifier), jsonBytes(identifier));
  } else if (stored !== identifier) {
    throw new ConfigError([
      {
        path: '/identifier',
        message: `${env.path} belongs to identifier ${JSON.stringify(stored)}, not ${JSON.stringify(identifier)}`,
      },
    ]);
  }
}

/** Loads the last event id and timestamp of every server. */
export function loadServerStates(env: LmdbEnvironment): Map<number, ServerState> {
  const states = new Map<number, ServerState>();
  for (const { key, value } of env.dbs.SYSTEM_LAST_EVENT_ID.getRange({})) {
    const server = readU64(key);
    const timestamp = env.dbs.SYSTEM_LAST_TIMESTAMP.get(key);
    states.set(server, {
      lastId: readEventId(value),
      lastTimestamp:
        timestamp === undefined
          ? { s: Number.MIN_SAFE_INTEGER, us: 0 }
          : timestampFromBytes(timestamp),
    });
  }
  return states;
}

/** Loads the reserved session ceiling of every server (SYSTEM_RESERVED_SESSION). */
export function loadReservedSessions(env: LmdbEnvironment): Map<number, number> {
  const reserved = new Map<number, number>();
  for (const { key, value } of env.dbs.SYSTEM_RESERVED_SESSION.getRange({})) {
    reserved.set(readU64(key), readU64(value));
  }
  return reserved;
}

/** Queues the writes of the given server states (inside a batch). */
export function writeServerStates(
  env: LmdbEnvironment,
  states: Iterable<[number, ServerState]>,
): void {
  for (const [server, state] of states) {
    const key = u64Key(server);
    void env.dbs.SYSTEM_LAST_EVENT_ID.put(key, eventIdKey(state.lastId));
    void env.dbs.SYSTEM_LAST_TIMESTAMP.put(key, Buffer.from(timestampToBytes(state.lastTimestamp)));
  }
}

/** Every SYSTEM_SETTINGS record, decoded (for the tools). */
export function readSettings(db: BinaryDb): { id: number; data: unknown }[] {
  const out: { id: number; data: unknown }[] = [];
  for (const { key, value } of db.getRange({})) {
    out.push({ id: readU64(key), data: JSON.parse(value.toString('utf8')) as unknown });
  }
  return out;
}

function readJson(db: BinaryDb, id: number): unknown {
  const value = db.get(u64Key(id));
  return value === undefined ? undefined : (JSON.parse(value.toString('utf8')) as unknown);
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
