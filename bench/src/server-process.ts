/**
 * Runs `eventum server` as a child process for the end-to-end scenarios, so the benchmark's
 * client never shares an event loop with the server. Loopback only.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const cliMain = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
/** The Node.js flags `npm start` runs the server with (docs/configuration.md, "Runtime"). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a server on a free port with the given backend section; its files go to a temp dir
 * unless the section names them (`db_path`, `path`). `extra` adds top-level sections (`bus`). */
export async function startServer(
  backend: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-'));
  const conf = join(dir, 'server.json');
  const files =
    backend['type'] === 'lmdb'
      ? { db_path: join(dir, 'db') }
      : backend['type'] === 'textlog'
        ? { path: join(dir, 'textlog') }
        : {};
  const section = { ...files, ...backend };
  await writeFile(
    conf,
    JSON.stringify({
      server_id: 1,
      eventer_server: { host: '127.0.0.1', port: 0 },
      backend: section,
      log: { level: 'info' },
      ...extra,
    }),
  );
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, cliMain, 'server', '--conf', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await readPort(child);
  return {
    port,
    child,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    // The start-up log line carries the port; later lines are read and dropped so the pipe
    // never fills.
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const entry = parseLogLine(line);
      if (entry.message === 'eventum server started' && entry.address) resolve(entry.address.port);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${lines.join('\n')}`)));
  });
}

/** A JSON log line, or `{}` for anything else (e.g. a configuration error's text). */
function parseLogLine(line: string): { message?: string; address?: { port: number } } {
  try {
    return JSON.parse(line) as { message?: string; address?: { port: number } };
  } catch {
    return {};
  }
}
