import { execFile } from 'node:child_process';
import { chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './nats-server.js';
import { isReachable } from './services.js';
import { tempDir } from './temp.js';
import { waitFor } from './temp.js';

const run = promisify(execFile);

/** A private PostgreSQL cluster (trust auth, loopback only) for tests that stop it. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the cluster (`pg_ctl stop -m fast`: sessions are ended, a checkpoint written). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  dispose(): Promise<void>;
}

/** The directory of PostgreSQL's server programs (`initdb`, `pg_ctl`): `EVENTUM_TEST_PG_BIN`, or
 * the newest `/usr/lib/postgresql/<version>/bin` (Debian's layout); null when there is none. */
export async function postgresBinDir(): Promise<string | null> {
  const configured = process.env['EVENTUM_TEST_PG_BIN'];
  if (configured !== undefined) return configured;
  try {
    const versions = (await readdir('/usr/lib/postgresql')).filter((v) => /^\d+$/.test(v));
    const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
    return newest === undefined ? null : `/usr/lib/postgresql/${newest}/bin`;
  } catch {
    return null;
  }
}

/**
 * Creates a cluster in a temporary directory (`initdb -A trust -U postgres`) and starts it on a
 * free port, listening on 127.0.0.1 only, its socket in its own directory. PostgreSQL refuses to
 * run as root: as root, the programs run as the `postgres` user (`runuser`), which then owns
 * the directory.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await postgresBinDir();
  if (bin === null) throw new Error('no PostgreSQL server programs (set EVENTUM_TEST_PG_BIN)');
  const dir = await tempDir('eventum-pg-');
  const data = join(dir.path, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const exec = async (program: string, args: string[]): Promise<void> => {
    const path = join(bin, program);
    if (asRoot) await run('runuser', ['-u', 'postgres', '--', path, ...args]);
    else await run(path, args);
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir.path, Number(stdout.trim()), Number(gid.trim()));
  }
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir.path, 'log'), '-w', 'start']);
    await waitFor(() => isReachable(url, 200), { timeoutMs: 20_000, intervalMs: 50 });
  };
  const stop = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  };
  await start();
  return {
    url,
    port,
    start,
    stop,
    dispose: async () => {
      await stop();
      await dir.remove();
    },
  };
}
