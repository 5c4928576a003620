import { rm } from 'node:fs/promises';

import { closeEnvironment, openEnvironment, openReadOnlyEnvironment } from '../environment.js';
import type { BinaryDb, DbName, LmdbEnvironment, ReadOnlyEnvironment } from '../environment.js';
import { decodeRefs, encodeEventRefs } from '../refs.js';

/** Options of {@link copyLmdb}. */
export interface CopyLmdbOptions {
  /** Leave out the latest store (LATEST_DATA, LATEST_TYPE) and its references. */
  readonly skipLatest?: boolean;
  /** Leave out the timeseries (TIMESERIES_*) and their references. */
  readonly skipTimeseries?: boolean;
  /** Called as records are copied (`done` of `total`), and once at the end. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Records written per destination transaction. */
const CHUNK = 10_000;

const LATEST_DBS: readonly DbName[] = ['LATEST_TYPE', 'LATEST_DATA'];
const TIMESERIES_DBS: readonly DbName[] = [
  'TIMESERIES_PARTITION',
  'TIMESERIES_COUNT',
  'TIMESERIES_SIZE',
  'TIMESERIES_DATA',
];
const SYSTEM_DBS: readonly DbName[] = [
  'SYSTEM_SETTINGS',
  'SYSTEM_LAST_EVENT_ID',
  'SYSTEM_LAST_TIMESTAMP',
  'SYSTEM_RESERVED_SESSION',
];

/**
 * Copies the LMDB file `src` into a new file `dst` (which must not exist: `ERR_CONFLICT`), from
 * one consistent snapshot of `src`, optionally without the latest store or the timeseries; REF
 * records lose the references to what was left out (and go when none remain). On failure `dst`
 * is deleted. Throws `ERR_NOT_FOUND` for a missing `src`.
 */
export async function copyLmdb(
  src: string,
  dst: string,
  options: CopyLmdbOptions = {},
): Promise<void> {
  const source = await openReadOnlyEnvironment(src);
  let target: LmdbEnvironment | null = null;
  try {
    target = await openEnvironment(dst, { mustNotExist: true });
    copyAll(source, target, options);
    await closeEnvironment(target);
  } catch (error) {
    if (target !== null) {
      await closeEnvironment(target).catch(() => undefined);
      await rm(dst, { force: true });
      await rm(`${dst}-lock`, { force: true });
    }
    throw error;
  } finally {
    await closeEnvironment(source);
  }
}

function copyAll(
  source: ReadOnlyEnvironment,
  target: LmdbEnvironment,
  options: CopyLmdbOptions,
): void {
  const names = [
    ...SYSTEM_DBS,
    ...(options.skipLatest === true ? [] : LATEST_DBS),
    ...(options.skipTimeseries === true ? [] : TIMESERIES_DBS),
  ];
  const transaction = source.root.useReadTransaction();
  try {
    const total = [...names, 'REF' as const].reduce(
      (n, name) => n + count(source.dbs[name], transaction),
      0,
    );
    const progress = new Progress(total, options.onProgress);
    for (const name of names) {
      const db = source.dbs[name];
      if (db !== undefined) copyDb(db.getRange({ transaction }), target, name, progress);
    }
    const refs = source.dbs.REF?.getRange({ transaction }) ?? [];
    copyDb(filterRefs(refs, options, progress), target, 'REF', progress);
    progress.finish();
  } finally {
    transaction.done();
  }
}

function count(db: BinaryDb | undefined, transaction: object): number {
  return db === undefined ? 0 : db.getCount({ transaction } as Parameters<BinaryDb['getCount']>[0]);
}

/** Writes `entries` into `name` of `target` in transactions of {@link CHUNK} records. */
function copyDb(
  entries: Iterable<{ key: Buffer; value: Buffer }>,
  target: LmdbEnvironment,
  name: DbName,
  progress: Progress,
): void {
  const db = target.dbs[name];
  let chunk: { key: Buffer; value: Buffer }[] = [];
  const write = (): void => {
    const records = chunk;
    target.root.transactionSync(() => {
      for (const { key, value } of records) db.putSync(key, value);
    });
    if (name !== 'REF') progress.add(records.length);
    chunk = [];
  };
  for (const entry of entries) {
    chunk.push(entry);
    if (chunk.length >= CHUNK) write();
  }
  if (chunk.length > 0) write();
}

/** REF records without the references to skipped stores (counted as progress when read). */
function* filterRefs(
  entries: Iterable<{ key: Buffer; value: Buffer }>,
  options: CopyLmdbOptions,
  progress: Progress,
): Iterable<{ key: Buffer; value: Buffer }> {
  const skipLatest = options.skipLatest === true;
  const skipTimeseries = options.skipTimeseries === true;
  for (const { key, value } of entries) {
    progress.add(1);
    if (!skipLatest && !skipTimeseries) {
      yield { key, value };
      continue;
    }
    const refs = decodeRefs(value).filter((r) =>
      r.kind === 'latest' ? !skipLatest : !skipTimeseries,
    );
    if (refs.length > 0) yield { key, value: encodeEventRefs(refs) };
  }
}

/** Progress reports, at most one per {@link CHUNK} records, plus the final one. */
class Progress {
  readonly #total: number;
  readonly #report: ((done: number, total: number) => void) | undefined;
  #done = 0;
  #reported = 0;

  constructor(total: number, report: ((done: number, total: number) => void) | undefined) {
    this.#total = total;
    this.#report = report;
  }

  add(n: number): void {
    this.#done += n;
    if (this.#done - this.#reported >= CHUNK) {
      this.#reported = this.#done;
      this.#report?.(this.#done, this.#total);
    }
  }

  finish(): void {
    this.#report?.(this.#done, this.#total);
  }
}
