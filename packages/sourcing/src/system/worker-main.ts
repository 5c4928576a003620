// The entry of one application's worker thread (see WorkerRunner).
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

import type { ProcessRecorder } from '@eventum/core';

import type { Application } from '../application.js';
import { openMapper } from '../open-application.js';
import type { LeaderLog, Prompt } from './leader-log.js';
import { ApplicationNode } from './node.js';
import { Rpc } from './rpc.js';
import type { RunnerOptions } from './runner.js';
import { loadSystem } from './system-module.js';

/** What the runner hands each worker. */
export interface WorkerSetup {
  readonly module: string;
  readonly exportName: string;
  readonly name: string;
  readonly options: Omit<RunnerOptions, 'logger'>;
  /** Leader name → the port to that leader's worker. */
  readonly leaderPorts: Readonly<Record<string, MessagePort>>;
  /** Ports to the workers of this application's followers. */
  readonly followerPorts: readonly MessagePort[];
}

const setup = workerData as WorkerSetup;
const control = new Rpc(parentPort!);
let node: ApplicationNode | undefined;
const early: Prompt[] = [];

function remoteLog(leader: string, port: MessagePort): Promise<LeaderLog> {
  const rpc = new Rpc(port, (m) => {
    const prompt = (m as { prompt?: Prompt }).prompt;
    if (prompt === undefined) return;
    if (node === undefined) early.push(prompt);
    else node.receive(prompt);
  });
  const mapper = openMapper({ name: leader, env: setup.options.env ?? process.env });
  return rpc.request<boolean>('gapless').then((gapless) => ({
    name: leader,
    gapless,
    select: (start, limit, topics) => rpc.request('select', start, limit, topics),
    maxNotificationId: () => rpc.request('max'),
    toDomain: (event) => mapper.toDomain(event),
  }));
}

let opened: (app: Application) => void = () => undefined;
const app = new Promise<Application>((resolve) => (opened = resolve));
const recorder = async (): Promise<ProcessRecorder> => (await app).events.recorder;
for (const port of setup.followerPorts) {
  new Rpc(port).serve({
    gapless: async () => (await recorder()).gaplessIds === true,
    select: async (start: number, limit: number, topics: string[]) =>
      (await recorder()).selectNotifications({ start, limit, topics }),
    max: async () => (await recorder()).maxNotificationId(),
  });
}

async function main(): Promise<void> {
  const system = await loadSystem(setup.module, setup.exportName);
  node = await ApplicationNode.open(system, setup.name, setup.options, {
    leaderLog: (leader) => remoteLog(leader, setup.leaderPorts[leader]!),
    publish: (prompt) => {
      for (const port of setup.followerPorts) port.postMessage({ prompt });
    },
    opened,
    onError: (error) => parentPort!.postMessage({ error: error.message }),
  });
  for (const prompt of early.splice(0)) node.receive(prompt);
}

control.serve({
  ready: () => main(),
  call: (method: string, args: unknown[]) => node!.call(method, args),
  status: () => node!.status(),
  waitFor: (leader: string, position: number, timeoutMs: number) =>
    node!.waitFor(leader, position, timeoutMs),
  close: async () => {
    await node?.close();
    for (const port of [...Object.values(setup.leaderPorts), ...setup.followerPorts]) port.close();
    setImmediate(() => parentPort!.close());
  },
});
