import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { GroupResource, invalidArgument } from '@eventum/core';
import type { Recorders } from '@eventum/core';
import { open } from 'lmdb';
import type { Key } from 'lmdb';

import { backendError } from '../errors.js';
import { GroupCommit } from './group-commit.js';
import { LmdbEventRecorder, LmdbSnapshotRecorder } from './lmdb-recorder.js';
import type { LmdbTables } from './lmdb-recorder.js';

/** Where an application's events live in LMDB. */
export interface LmdbRecorderOptions {
  /** The LMDB file (created when missing, with its directory). */
  readonly path: string;
  /** Prefix of the application's sub-databases; several applications may share one file. */
  readonly name: string;
  /** Largest size the file may grow to, in bytes (default 16 GiB; LMDB reserves it as address space). */
  readonly mapSizeBytes?: number;
}

const DEFAULT_MAP_SIZE = 16 * 1024 ** 3;

/**
 * Opens the recorders of one application in an LMDB file. Commits are durable when an insert
 * resolves. Closing them closes the file (when no other recorders of the process hold it).
 */
export async function createLmdbRecorders(options: LmdbRecorderOptions): Promise<Recorders> {
  if (options.name.length === 0) throw invalidArgument('LMDB recorders need a non-empty name');
  try {
    await mkdir(dirname(options.path), { recursive: true });
    const root = open({
      path: options.path,
      noSubdir: true,
      maxDbs: 64,
      mapSize: options.mapSizeBytes ?? DEFAULT_MAP_SIZE,
      overlappingSync: false,
    });
    const db = <V, K extends Key>(suffix: string) =>
      root.openDB<V, K>(`${options.name}:${suffix}`, {});
    const tables: LmdbTables = {
      root,
      commit: new GroupCommit(root),
      log: db('log'),
      streams: db('streams'),
      eventIds: db('event_ids'),
      tracking: db('tracking'),
      snapshots: db('snapshots'),
    };
    return new LmdbRecorders(tables);
  } catch (error) {
    throw backendError(`cannot open LMDB file ${options.path}`, error);
  }
}

class LmdbRecorders extends GroupResource implements Recorders {
  readonly events: LmdbEventRecorder;
  readonly snapshots: LmdbSnapshotRecorder;

  constructor(tables: LmdbTables) {
    super();
    this.group.onClose(() => tables.root.close());
    this.events = this.group.adopt(new LmdbEventRecorder(tables));
    this.snapshots = this.group.adopt(new LmdbSnapshotRecorder(tables));
  }
}
