/**
 * Runs `eventum server` as a child process for the end-to-end scenarios, so the benchmark's
 * client never shares an event loop with the server. Loopback only.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { makeTestCertificates } from '@eventum/testing';
import pg from 'pg';

const cliMain = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
/** The Node.js flags `npm start` runs the server with (docs/configuration.md, "Runtime"), and
 * any in `EVENTUM_BENCH_SERVER_FLAGS` (space-separated: `--cpu-prof --trace-gc` to see where a
 * scenario's server spends its time). The server's stdout is dropped unless
 * `EVENTUM_BENCH_SERVER_STDOUT` names a file to append it to (where `--trace-gc` writes). */
const SERVER_NODE_FLAGS = [
  '--max-semi-space-size=32',
  ...(process.env['EVENTUM_BENCH_SERVER_FLAGS'] ?? '').split(' ').filter((flag) => flag !== ''),
];

export interface ServerProcess {
  readonly port: number;
  /** The HTTP API's port (a free one, like the eventer port). */
  readonly httpPort: number;
  /** With TLS: the server's self-signed certificate, which clients trust as their CA. */
  readonly ca?: Buffer;
  readonly child: ChildProcess;
  /** Bytes the backend's storage takes on disk (LMDB file, textlog directory, PostgreSQL
   * schema); `undefined` for the memory backend. Waits out one flush period first, so what
   * was registered is written. */
  storedBytes(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Starts a server on a free port with the given backend section; its files go to a temp dir
 * unless the section names them (`db_path`, `path`). With `tls`, the eventer port serves TLS
 * with a certificate made for the run; `extra` adds top-level sections (`bus`). */
export async function startServer(
  backend: Record<string, unknown>,
  { tls = false, extra = {} }: { tls?: boolean; extra?: Record<string, unknown> } = {},
): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-'));
  const certificates = tls ? await makeTestCertificates(dir) : undefined;
  const ca = certificates?.ca;
  const conf = join(dir, 'server.json');
  const files =
    backend['type'] === 'lmdb'
      ? { db_path: join(dir, 'db') }
      : backend['type'] === 'textlog'
        ? { path: join(dir, 'textlog') }
        : {};
  const section: Record<string, unknown> = { ...files, ...backend };
  await writeFile(
    conf,
    JSON.stringify({
      server_id: 1,
      eventer_server: {
        host: '127.0.0.1',
        port: 0,
        ...(certificates === undefined
          ? {}
          : {
              tls: {
                cert_path: certificates.paths.serverCert,
                key_path: certificates.paths.serverKey,
              },
            }),
      },
      backend: section,
      log: { level: 'info' },
      ...extra,
    }),
  );
  const stdout = serverStdout();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, cliMain, 'server', '--conf', conf], {
    stdio: ['ignore', stdout, 'pipe'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  const { port, httpPort } = await readPorts(child);
  return {
    port,
    httpPort,
    ...(ca === undefined ? {} : { ca }),
    child,
    async storedBytes() {
      await sleep(FLUSH_WAIT_MS);
      if (section['type'] === 'lmdb') return (await stat(section['db_path'] as string)).size;
      if (section['type'] === 'textlog') return directoryBytes(section['path'] as string);
      if (section['type'] === 'postgres') return schemaBytes(section);
      return undefined;
    },
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
      if (backend['type'] === 'postgres') await dropBenchSchema(section);
    },
  };
}

/** Longer than the default `flush_period` of the LMDB and textlog backends (1 s). */
const FLUSH_WAIT_MS = 1_500;

/** Sum of the sizes of the files under `path`. */
async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** The tables of a benchmark server's PostgreSQL schema with their indexes and TOAST. */
async function schemaBytes(section: Record<string, unknown>): Promise<number> {
  const client = new pg.Client(section['url'] as string);
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [section['schema']],
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

function serverStdout(): 'ignore' | number {
  const path = process.env['EVENTUM_BENCH_SERVER_STDOUT'];
  return path === undefined || path === '' ? 'ignore' : openSync(path, 'a');
}

/** A PostgreSQL schema name of its own for one benchmark server. */
export const benchSchema = (): string => `eventum_bench_${randomBytes(4).toString('hex')}`;

/** Drops the schema a PostgreSQL server of the benchmark used (`IF EXISTS`: servers sharing a
 * schema each drop it when they stop). */
async function dropBenchSchema(section: Record<string, unknown>): Promise<void> {
  const client = new pg.Client(section['url'] as string);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${section['schema'] as string}" CASCADE`);
  } finally {
    await client.end();
  }
}

function readPorts(child: ChildProcess): Promise<{ port: number; httpPort: number }> {
  const lines: string[] = [];
  let port: { port: number; httpPort: number } | undefined;
  let operational = false;
  return new Promise((resolve, reject) => {
    // The start-up line carries the port; registrations succeed only once the engine is
    // operational (storage opened, session ids reserved), so that status line is awaited too.
    // Later lines are read and dropped so the pipe never fills.
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const entry = parseLogLine(line);
      if (entry.message === 'eventum server started' && entry.address) {
        port = { port: entry.address.port, httpPort: entry.http?.port ?? 0 };
      }
      if (entry.message === 'status' && entry.status === 'operational') operational = true;
      if (port !== undefined && operational) resolve(port);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${lines.join('\n')}`)));
  });
}

interface LogEntry {
  message?: string;
  status?: string;
  address?: { port: number };
  http?: { port: number };
}

/** A JSON log line, or `{}` for anything else (e.g. a configuration error's text). */
function parseLogLine(line: string): LogEntry {
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return {};
  }
}
