import { DEFAULT_DB_PATH } from '@eventum/backend-lmdb';
import { isEventumError } from '@eventum/core';

/** The `--db PATH` option of `eventum lmdb inspect` and `query`. */
export const dbOptionSpec = { db: { type: 'string' } } as const;

export const dbOptionHelp = `  --db PATH          the LMDB file (default ${DEFAULT_DB_PATH}, as the server's db_path)`;

/** The file `--db` names, and whether it is the default. */
export function dbPath(values: Record<string, unknown>): { path: string; isDefault: boolean } {
  const db = values['db'];
  return typeof db === 'string' ? { path: db, isDefault: false } : defaultDb;
}

const defaultDb = { path: DEFAULT_DB_PATH, isDefault: true } as const;

/** Hints appended to the message of a missing file or an existing destination. */
export interface FileErrorHints {
  readonly notFound?: string;
  readonly conflict?: string;
}

/** A file problem the command reports in one line (exit code 1). */
export class FileProblem extends Error {}

/**
 * Runs `run`; a missing file (`ERR_NOT_FOUND`), an existing copy destination (`ERR_CONFLICT`)
 * or a {@link FileProblem} becomes one line on stderr naming the file, and exit code 1. Other
 * failures propagate.
 */
export async function explainFileErrors(
  command: string,
  run: () => Promise<number>,
  hints: FileErrorHints = {},
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const hint = hintFor(error, hints);
    if (hint === null) throw error;
    process.stderr.write(`eventum lmdb ${command}: ${(error as Error).message}${hint}\n`);
    return 1;
  }
}

/** The hint for an error {@link explainFileErrors} explains, or null for any other. */
function hintFor(error: unknown, hints: FileErrorHints): string | null {
  if (error instanceof FileProblem) return '';
  if (isEventumError(error, 'ERR_NOT_FOUND')) return hints.notFound ?? '';
  if (isEventumError(error, 'ERR_CONFLICT')) return hints.conflict ?? '';
  if (isEventumError(error, 'ERR_UNSUPPORTED')) return '';
  return null;
}

/** The hints for a file given by `--db` (or its default). */
export function dbHints(db: { isDefault: boolean }): FileErrorHints {
  return db.isDefault ? { notFound: ' (the default; pass --db PATH to read another file)' } : {};
}

/**
 * Writes one line to stdout, waiting while its buffer is full. Returns false once stdout is
 * gone (e.g. `| head` exited), so a long listing stops instead of writing into nowhere.
 */
export async function writeLine(line: string): Promise<boolean> {
  const out = process.stdout;
  if (out.destroyed) return false;
  if (!out.write(`${line}\n`)) await drainedOrClosed(out);
  return !out.destroyed;
}

function drainedOrClosed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** Ignores EPIPE on stdout: a reader that stops early ends the listing, not with a crash. */
export function toleratePipeClose(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
