import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { ErrorCode, EventumError } from '@eventum/core';
import { open } from 'lmdb';

import { assertLmdbFile } from './file-header.js';
import type { Database, Key, RootDatabase, RootDatabaseOptions } from 'lmdb';

/** A sub-database with binary keys and binary values. */
export type BinaryDb = Database<Buffer, Buffer>;

/** TIMESERIES_DATA for range reads: each value is left in lmdb-js's read buffer (see
 * {@link lastReadValue}); keys are written from bytes and read as Latin-1 strings. */
export type ValueDb = Database<true, Key>;

/** Hat's sub-databases (names = Hat's enum names) plus eventum's TIMESERIES_SIZE. */
export const DB_NAMES = [
  'SYSTEM_SETTINGS',
  'SYSTEM_LAST_EVENT_ID',
  'SYSTEM_LAST_TIMESTAMP',
  'REF',
  'LATEST_DATA',
  'LATEST_TYPE',
  'TIMESERIES_DATA',
  'TIMESERIES_PARTITION',
  'TIMESERIES_COUNT',
  'TIMESERIES_SIZE',
] as const;
export type DbName = (typeof DB_NAMES)[number];

/** An open LMDB environment (one data file plus its `-lock` file) and its sub-databases. */
export interface LmdbEnvironment {
  readonly path: string;
  readonly root: RootDatabase;
  readonly dbs: Readonly<Record<DbName, BinaryDb>>;
  /** TIMESERIES_DATA again, for range reads: lmdb-js hands a custom decoder each value in its
   * shared read buffer, which the reader copies only as it must (the `binary` encoding would
   * allocate a buffer per value) and decodes only as far as the query needs. */
  readonly timeseriesValues: ValueDb;
}

/** A read-only environment: sub-databases missing from the file are absent. */
export interface ReadOnlyEnvironment {
  readonly path: string;
  readonly root: RootDatabase;
  readonly dbs: Readonly<Partial<Record<DbName, BinaryDb>>>;
}

/** Map size: address space reserved for the file (Hat's 1 TiB); the file grows as needed. */
const MAP_SIZE = 2 ** 40;

/** Options of {@link openEnvironment}. */
export interface OpenEnvironmentOptions {
  /** Refuse to open an existing file (copy targets): `ERR_CONFLICT`. */
  readonly mustNotExist?: boolean;
}

/**
 * Opens (creating if missing) the LMDB file at `path` with every sub-database. Commits are
 * durable when they resolve (`overlappingSync` off), so "committed" and "flushed" are one step.
 * Throws `ERR_BACKEND` if LMDB fails, `ERR_NOT_FOUND` for a missing file in read-only mode.
 */
export async function openEnvironment(
  path: string,
  options: OpenEnvironmentOptions = {},
): Promise<LmdbEnvironment> {
  const exists = existsSync(path);
  if (options.mustNotExist === true && exists) {
    throw new EventumError(ErrorCode.Conflict, `LMDB file already exists: ${path}`);
  }
  if (exists) await assertLmdbFile(path);
  else await createDirectory(dirname(path));
  const { root, dbs } = openRoot(path, false);
  const missing = DB_NAMES.filter((name) => dbs[name] === undefined);
  if (missing.length > 0) {
    await root.close();
    throw new EventumError(ErrorCode.Backend, `cannot open sub-databases ${missing.join(', ')}`);
  }
  const timeseriesValues = root.openDB<true, Key>(
    'TIMESERIES_DATA',
    valueDbOptions as RootDatabaseOptions,
  );
  return { path, root, dbs: dbs as Record<DbName, BinaryDb>, timeseriesValues };
}

async function createDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw backendError(`cannot create the directory ${dir} of the LMDB file`, error);
  }
}

/**
 * Opens an existing LMDB file for reading only (the tools). Throws `ERR_NOT_FOUND` when the file
 * is missing, `ERR_UNSUPPORTED` when it is not an LMDB file, `ERR_BACKEND` when LMDB fails.
 */
export async function openReadOnlyEnvironment(path: string): Promise<ReadOnlyEnvironment> {
  if (!existsSync(path)) throw new EventumError(ErrorCode.NotFound, `LMDB file not found: ${path}`);
  await assertLmdbFile(path);
  return { path, ...openRoot(path, true) };
}

// Declared apart: lmdb-js types `encoder` and `keyEncoder` only on the root's options, though
// every sub-database honours them.
const valueDbOptions = {
  // A key read as a Latin-1 string: one string instead of a Buffer per entry (keys are only
  // compared), and strings compare as their bytes do.
  keyEncoder: {
    writeKey(key: Uint8Array, target: Uint8Array, start: number): number {
      target.set(key, start);
      return start + key.length;
    },
    readKey: (buffer: Buffer, start: number, end: number): string =>
      buffer.toString('latin1', start, end),
  },
  encoder: { encode: unwritable, decode: keepValue },
};

let lastValue: Uint8Array = new Uint8Array(0);

/**
 * The value {@link ValueDb} read last: lmdb-js's shared read buffer, valid until the next read
 * of any database. Its `length` is the value's, but native copies (`set`, `Buffer#copy`) see the
 * whole buffer: copy through a view of exactly `length` bytes.
 */
export function lastReadValue(): Uint8Array {
  return lastValue;
}

function keepValue(value: Uint8Array): true {
  lastValue = value;
  return true;
}

function unwritable(): never {
  throw new Error('this TIMESERIES_DATA handle only reads: the writer thread writes');
}

function openRoot(
  path: string,
  readOnly: boolean,
): { root: RootDatabase; dbs: Partial<Record<DbName, BinaryDb>> } {
  return wrapLmdb(`cannot open LMDB file ${path}`, () => {
    const root = open({
      path,
      noSubdir: true,
      maxDbs: DB_NAMES.length + 2,
      mapSize: MAP_SIZE,
      overlappingSync: false,
      readOnly,
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    try {
      const dbs: Partial<Record<DbName, BinaryDb>> = {};
      for (const name of DB_NAMES) {
        const db = root.openDB<Buffer, Buffer>(name, {
          keyEncoding: 'binary',
          encoding: 'binary',
        }) as BinaryDb | undefined;
        if (db !== undefined) dbs[name] = db;
      }
      return { root, dbs };
    } catch (error) {
      void root.close();
      throw error;
    }
  });
}

/** Closes the environment; LMDB failures become `ERR_BACKEND`. */
export async function closeEnvironment(env: {
  readonly path: string;
  readonly root: RootDatabase;
}): Promise<void> {
  try {
    await env.root.close();
  } catch (error) {
    throw backendError(`cannot close LMDB file ${env.path}`, error);
  }
}

/** Runs `fn`, turning anything it throws (other than an EventumError) into `ERR_BACKEND`. */
export function wrapLmdb<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw backendError(what, error);
  }
}

/** `EventumError(ERR_BACKEND)` with `error` as its cause, unless it already is an EventumError. */
export function backendError(what: string, error: unknown): EventumError {
  if (error instanceof EventumError) return error;
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return new EventumError(ErrorCode.Backend, `${what}${detail}`, { cause: error });
}
