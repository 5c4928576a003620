import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { parseSpanName } from './span-index.js';
import type { Span } from './span-index.js';

/** Prefix of temporary files; never a span name, removed at start-up. */
const TEMP_PREFIX = '.tmp-';

/** Creates `dir` if needed, removes leftover temp files and lists the span files in it. */
export async function scanDirectory(dir: string): Promise<Span[]> {
  await mkdir(dir, { recursive: true });
  const spans: Span[] = [];
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { force: true });
    const span = parseSpanName(name);
    if (span !== null) spans.push(span);
  }
  return spans;
}

/** The bytes of `dir/name`, empty when the file does not exist (yet). */
export async function readOrEmpty(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/**
 * Replaces `dir/name` atomically: writes a temp file in `dir`, fsyncs it, renames it over the
 * target. Readers see the old or the new file, never a mix. Call {@link syncDirectory} after
 * the renames to make them durable.
 */
export async function writeAtomic(dir: string, name: string, data: Buffer | string): Promise<void> {
  const temp = join(dir, `${TEMP_PREFIX}${name}-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'w');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
  } catch (error) {
    // A partial temporary file (e.g. on a full disk) would hold on to the space it took.
    await rm(temp, { force: true });
    throw error;
  }
}

/** Fsyncs the directory entry list (makes renames durable). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
