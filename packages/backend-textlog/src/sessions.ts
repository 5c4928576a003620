import { readOrEmpty, syncDirectory, writeAtomic } from './files.js';

/** The session reservation file: never a span name. */
export const SESSIONS_FILE = 'sessions.json';

/** Reads the reserved session ceiling per server (empty when there is no file). */
export async function readReservedSessions(dir: string): Promise<Map<number, number>> {
  const text = (await readOrEmpty(dir, SESSIONS_FILE)).toString('utf8');
  const reserved = new Map<number, number>();
  if (text === '') return reserved;
  const file = JSON.parse(text) as Record<string, number>;
  for (const [server, session] of Object.entries(file)) reserved.set(Number(server), session);
  return reserved;
}

/**
 * Replaces the reservation file atomically and durably (temp file, fsync, rename, directory
 * fsync): `{"<server id>": <greatest reserved session>, ...}`.
 */
export async function writeReservedSessions(
  dir: string,
  reserved: ReadonlyMap<number, number>,
): Promise<void> {
  await writeAtomic(dir, SESSIONS_FILE, JSON.stringify(Object.fromEntries(reserved)));
  await syncDirectory(dir);
}
