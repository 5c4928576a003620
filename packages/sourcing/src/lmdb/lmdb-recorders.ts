import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { GroupResource, invalidArgument } from '@eventum/core';
import type { Recorders } from '@eventum/core';
import { open } from 'lmdb';
import type { Key } from 'lmdb';

import type { SourcingDurability } from '../config.js';
import { backendError } from '../errors.js';
import { DeferredSync } from './deferred-sync.js';
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
  /**
   * `synced` (default): an insert resolves once its commit is on disk. `deferred`: once it is
   * committed to the OS (LMDB's `noSync`); the file is synced in the background every 100 ms.
   * What a crash loses in each: docs/sourcing.md.
   */
  readonly durability?: SourcingDurability;
}

const DEFAULT_MAP_SIZE = 16 * 1024 ** 3;

/**
 * Opens the recorders of one application in an LMDB file. With `durability: 'synced'` commits
 * are durable when an insert resolves. Closing them closes the file (when no other recorders of
 * the process hold it); a `deferred` file is synced first.
 */
export async function createLmdbRecorders(options: LmdbRecorderOptions): Promise<Recorders> {
  if (options.name.length === 0) throw invalidArgument('LMDB recorders need a non-empty name');
  const deferred = options.durability === 'deferred';
  try {
    await mkdir(dirname(options.path), { recursive: true });
    const root = open({
      path: options.path,
      noSubdir: true,
      maxDbs: 64,
      mapSize: options.mapSizeBytes ?? DEFAULT_MAP_SIZE,
      overlappingSync: false,
      noSync: deferred,
      // Deferred commits write into the map instead of copying dirty pages out with one
      // `pwrite` each: about 3× cheaper per commit (docs/sourcing.md, "Durability").
      useWritemap: deferred,
    });
    const background = deferred ? new DeferredSync(root) : undefined;
    const db = <V, K extends Key>(suffix: string) =>
      root.openDB<V, K>(`${options.name}:${suffix}`, {});
    const tables: LmdbTables = {
      root,
      commit: new GroupCommit(root, () => background?.committed(), deferred),
      log: db('log'),
      streams: db('streams'),
      eventIds: db('event_ids'),
      tracking: db('tracking'),
      snapshots: db('snapshots'),
    };
    return new LmdbRecorders(tables, background);
  } catch (error) {
    throw backendError(`cannot open LMDB file ${options.path}`, error);
  }
}

class LmdbRecorders extends GroupResource implements Recorders {
  readonly events: LmdbEventRecorder;
  readonly snapshots: LmdbSnapshotRecorder;

  constructor(tables: LmdbTables, background: DeferredSync | undefined) {
    super();
    this.group.onClose(async () => {
      await background?.close();
      await tables.root.close();
    });
    this.events = this.group.adopt(new LmdbEventRecorder(tables));
    this.snapshots = this.group.adopt(new LmdbSnapshotRecorder(tables));
  }
}
