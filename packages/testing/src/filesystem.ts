import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { tempDir } from './temp.js';

const run = promisify(execFile);

/** A size-limited tmpfs mounted by the test; unmounted and removed by `remove()`. */
export interface SizedFilesystem {
  readonly path: string;
  /** Changes the size in place (files are kept): shrink to fill it up, grow to free space. */
  resize(bytes: number): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Mounts a tmpfs of `bytes` on a fresh temporary directory (needs root, as `mount -t tmpfs`
 * does). Resolves with a one-line reason instead when this machine cannot mount one.
 */
export async function sizedFilesystem(bytes: number): Promise<SizedFilesystem | string> {
  const dir = await tempDir('eventum-fs-');
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir.path]);
  } catch (error) {
    await dir.remove();
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    return `cannot mount a tmpfs here (needs root): ${detail}`;
  }
  let mounted = true;
  return {
    path: dir.path,
    async resize(size) {
      await run('mount', ['-o', `remount,size=${size}`, dir.path]);
    },
    async remove() {
      if (mounted) await run('umount', ['-l', dir.path]);
      mounted = false;
      await dir.remove();
    },
  };
}
