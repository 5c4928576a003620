import { createHash } from 'node:crypto';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { createConnection, createServer as createNetServer } from 'node:net';
import type { Server as NetServer } from 'node:net';
import { basename, dirname, resolve } from 'node:path';

import { ErrorCode, EventumError, GroupResource, toError } from '@eventum/core';
import type { Resource } from '@eventum/core';

/** What the holder of a storage lock tells a process that finds the storage locked. */
export interface StorageLockHolder {
  readonly pid: number;
  readonly path: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

/** How long a refused process waits for the holder to say who it is. */
const HOLDER_TIMEOUT_MS = 1000;

/**
 * Takes the exclusive lock of the storage at `path` (an LMDB file or a textlog directory) for
 * this process, creating its parent directory if missing. The lock is a Linux abstract Unix
 * socket named after the parent directory's device and inode and the storage's base name, so
 * any spelling of the path (relative, symlinked, bind-mounted) is the same lock. The kernel
 * releases it when the process ends in any way (SIGKILL included): no stale lock can block a
 * restart. Read-only tools do not take it.
 *
 * Throws `ERR_LOCKED` naming the holder's pid when another process holds it, `ERR_CONFIG` when
 * the parent directory cannot be created or read. On platforms other than Linux nothing is
 * locked (the returned resource only closes).
 */
export async function lockStorage(path: string): Promise<Resource> {
  const full = await canonicalPath(path);
  const lock = new StorageLock(full);
  if (process.platform !== 'linux') return lock;
  const name = await lockName(full);
  try {
    await lock.listen(name);
  } catch (error) {
    await lock.close();
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw new EventumError(ErrorCode.Backend, `cannot lock ${full}`, { cause: error });
    }
    throw lockedError(full, await askHolder(name));
  }
  return lock;
}

class StorageLock extends GroupResource {
  readonly #holder: StorageLockHolder;
  #net: NetServer | null = null;

  constructor(path: string) {
    super();
    this.#holder = { pid: process.pid, path, since: new Date().toISOString() };
    this.group.onClose(() => this.#release());
  }

  listen(name: string): Promise<void> {
    const net = createNetServer((socket) => socket.end(`${JSON.stringify(this.#holder)}\n`));
    this.#net = net;
    return new Promise((resolve, reject) => {
      net.once('error', reject);
      net.listen(name, () => {
        net.off('error', reject);
        net.unref(); // the lock never keeps the process alive on its own
        resolve();
      });
    });
  }

  #release(): Promise<void> {
    const net = this.#net;
    if (net === null || !net.listening) return Promise.resolve();
    return new Promise((resolve) => net.close(() => resolve()));
  }
}

/** The absolute path resolved through symlinks; its parent directory is created if missing. */
async function canonicalPath(path: string): Promise<string> {
  const full = resolve(path);
  const parent = dirname(full);
  try {
    await mkdir(parent, { recursive: true });
    // An existing storage is named by its real path (a symlinked file is the same storage).
    const real = await realpath(full).catch(() => null);
    return real ?? resolve(await realpath(parent), basename(full));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? toError(error).message;
    throw new EventumError(
      ErrorCode.Config,
      `cannot create the storage directory ${parent} (${reason}: ${describeErrno(reason)})`,
      { cause: error },
    );
  }
}

async function lockName(full: string): Promise<string> {
  const { dev, ino } = await stat(dirname(full));
  const digest = createHash('sha256')
    .update(`${dev}:${ino}:${basename(full)}`)
    .digest('hex');
  return `\0eventum-storage-${digest.slice(0, 40)}`;
}

/** Asks the holder who it is; resolves `null` if it does not answer in time. */
function askHolder(name: string): Promise<StorageLockHolder | null> {
  return new Promise((resolve) => {
    let text = '';
    const socket = createConnection(name);
    const done = (holder: StorageLockHolder | null): void => {
      socket.destroy();
      resolve(holder);
    };
    socket.setTimeout(HOLDER_TIMEOUT_MS, () => done(null));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('error', () => done(null));
    socket.on('end', () => done(parseHolder(text)));
  });
}

function parseHolder(text: string): StorageLockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<StorageLockHolder>;
    return typeof value.pid === 'number' ? (value as StorageLockHolder) : null;
  } catch {
    return null;
  }
}

function lockedError(path: string, holder: StorageLockHolder | null): EventumError {
  const who = holder === null ? 'another process' : `process ${holder.pid} (since ${holder.since})`;
  return new EventumError(
    ErrorCode.Locked,
    `${path} is in use by ${who}: two servers must not share one storage; stop the other ` +
      'server or give this one its own storage path',
  );
}

const errnoText: Readonly<Record<string, string>> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

function describeErrno(code: string): string {
  return errnoText[code] ?? 'the directory cannot be created';
}
