import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

import { isReachable } from './services.js';
import { tempDir } from './temp.js';
import type { TempDir } from './temp.js';
import { waitFor } from './temp.js';

/** A private nats-server (JetStream on, store in a temp directory) for tests that stop it. */
export interface PrivateNatsServer {
  readonly url: string;
  readonly port: number;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  dispose(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** True when the `nats-server` binary can be run. */
export async function hasNatsServer(): Promise<boolean> {
  const child = spawn('nats-server', ['--version'], { stdio: 'ignore' });
  const [code] = (await Promise.race([
    once(child, 'exit'),
    once(child, 'error').then(() => [-1]),
  ])) as [number];
  return code === 0;
}

/** Starts `nats-server -a 127.0.0.1 -p <free port> -js -sd <temp dir>` and waits until it
 * accepts connections. */
export async function startNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const store: TempDir = await tempDir('eventum-nats-');
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = await spawnNatsServer(port, store.path);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    await stopProcess(running);
  };
  await start();
  return {
    url,
    port,
    start,
    stop,
    dispose: async () => {
      await stop();
      await store.remove();
    },
  };
}

async function spawnNatsServer(port: number, storeDir: string): Promise<ChildProcess> {
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
  const child = spawn('nats-server', args, { stdio: 'ignore' });
  await waitFor(() => isReachable(`nats://127.0.0.1:${port}`, 200), {
    timeoutMs: 10_000,
    intervalMs: 50,
  });
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
