import { open } from 'node:fs/promises';

import { ErrorCode, EventumError } from '@eventum/core';

/**
 * LMDB's meta page magic (0xBEEFC0DE, little-endian): after a 16-byte page header in LMDB 0.9
 * files (Hat's), after a 24-byte one in lmdb-js 3 files.
 */
const META_MAGIC = 0xbeefc0de;
const MAGIC_OFFSETS = [16, 24] as const;

/**
 * Throws `ERR_UNSUPPORTED` when `path` exists but does not start with an LMDB meta page:
 * lmdb-js crashes the whole process (SIGSEGV) on such a file instead of failing, so every open
 * checks first. A missing file (to be created) or a directory passes.
 */
export async function assertLmdbFile(path: string): Promise<void> {
  const header = Buffer.alloc(32);
  let bytes: number;
  try {
    const file = await open(path, 'r');
    try {
      ({ bytesRead: bytes } = await file.read(header, 0, header.length, 0));
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return;
    throw new EventumError(ErrorCode.Backend, `cannot read ${path}`, { cause: error });
  }
  const magic = MAGIC_OFFSETS.some(
    (at) => bytes >= at + 4 && header.readUInt32LE(at) === META_MAGIC,
  );
  if (!magic) {
    throw new EventumError(ErrorCode.Unsupported, `${path} is not an LMDB file (no LMDB header)`);
  }
}
