// Helpers for the CLI's tests: run `eventum` as a child process like a user would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The compiled `eventum` entry point. */
export const mainPath = fileURLToPath(new URL('./main.js', import.meta.url));

export interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `eventum ...args` to completion, optionally feeding `input` on stdin, in `cwd`. */
export async function runCli(
  args: readonly string[],
  input?: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Outcome> {
  const child = spawn(process.execPath, [mainPath, ...args], { stdio: 'pipe', ...options });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** A running `eventum server` and the port it listens on (read from its start-up log line). */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The HTTP API's port, or null when `http_server` is disabled. */
  readonly httpPort: number | null;
  readonly log: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `eventum server ...args` and resolves once it logged its start. `openFiles` runs it
 * under that soft and hard limit on open files (through `sh -c 'ulimit -n'`).
 */
export async function startServerProcess(
  args: readonly string[],
  options: { openFiles?: number } = {},
): Promise<ServerProcess> {
  const command = [process.execPath, mainPath, 'server', ...args];
  const child =
    options.openFiles === undefined
      ? spawn(command[0] as string, command.slice(1), { stdio: 'pipe' })
      : spawn('sh', ['-c', `ulimit -n ${options.openFiles} && exec "$0" "$@"`, ...command], {
          stdio: 'pipe',
        });
  const log: string[] = [];
  const lines = createInterface({ input: child.stderr });
  const [port, httpPort] = await new Promise<[number, number | null]>((resolve, reject) => {
    lines.on('line', (line) => {
      log.push(line);
      const entry = parseLogLine(line);
      if (entry.message === 'eventum server started' && entry.address) {
        resolve([entry.address.port, entry.http?.port ?? null]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${log.join('\n')}`)));
  });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  return {
    child,
    port,
    httpPort,
    log,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}

/** A JSON log line, or `{}` for anything else (e.g. a configuration error's text). */
interface LogEntry {
  message?: string;
  address?: { port: number };
  http?: { port: number };
}

function parseLogLine(line: string): LogEntry {
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return {};
  }
}
