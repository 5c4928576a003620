import { GroupResource, invalidArgument } from '@eventum/core';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

import type { FollowerStatus } from './follower.js';
import { Rpc } from './rpc.js';
import { resolvePosition } from './runner.js';
import type { Position, Runner, RunnerOptions } from './runner.js';
import type { System } from './system.js';
import { loadSystem, moduleUrl } from './system-module.js';
import type { WorkerSetup } from './worker-main.js';

/** Where a system is defined: a module (path or URL) and the name it exports it as. */
export interface SystemModule {
  readonly module: string;
  /** Default `system`. */
  readonly exportName?: string;
}

/**
 * Runs each application of a system in its own worker thread. Prompts and log reads go over a
 * MessageChannel per pipe edge, so followers read their leaders' logs even on memory
 * recorders; every thread opens its application from the same `env`. `call` runs a method in
 * the application's thread (arguments and result are structured-cloned). The system is loaded
 * from its module, in every thread.
 */
export class WorkerRunner extends GroupResource implements Runner {
  readonly errors: Error[] = [];
  readonly #ref: SystemModule;
  readonly #options: Omit<RunnerOptions, 'logger'>;
  readonly #workers = new Map<string, { worker: Worker; rpc: Rpc }>();
  #system: System | undefined;

  constructor(ref: SystemModule, options: Omit<RunnerOptions, 'logger'> = {}) {
    super();
    this.#ref = ref;
    this.#options = options;
    // In start order, followers first: they stop reading before their leaders go away.
    this.group.onClose(async () => {
      for (const { worker, rpc } of this.#workers.values()) {
        await rpc.request('close').catch(() => undefined);
        await worker.terminate();
      }
    });
  }

  get system(): System {
    if (this.#system === undefined) throw invalidArgument('the runner is not started');
    return this.#system;
  }

  async start(): Promise<void> {
    if (this.#system !== undefined) throw invalidArgument('the runner is started already');
    const module = moduleUrl(this.#ref.module);
    const exportName = this.#ref.exportName ?? 'system';
    const system = (this.#system = await loadSystem(module, exportName));
    const ports = new Map(system.edges.map(([l, f]) => [`${l}→${f}`, new MessageChannel()]));
    try {
      for (const name of system.startOrder) {
        const leaderPorts = Object.fromEntries(
          system.follows(name).map((l) => [l, ports.get(`${l}→${name}`)!.port2]),
        );
        const followerPorts = system.leads(name).map((f) => ports.get(`${name}→${f}`)!.port1);
        const setup: WorkerSetup = {
          module,
          exportName,
          name,
          options: this.#options,
          leaderPorts,
          followerPorts,
        };
        this.#spawn(name, setup, [...Object.values(leaderPorts), ...followerPorts]);
      }
      // Every worker exists (its ports are wired) before any opens: no request goes unanswered.
      await Promise.all([...this.#workers.values()].map(({ rpc }) => rpc.request('ready')));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  #spawn(name: string, setup: WorkerSetup, transfer: MessagePort[]): void {
    const worker = new Worker(new URL('./worker-main.js', import.meta.url), {
      workerData: setup,
      transferList: transfer,
    });
    const rpc = new Rpc(worker, (m) => {
      const error = (m as { error?: string }).error;
      if (error !== undefined) this.errors.push(new Error(`${name}: ${error}`));
    });
    worker.on('error', (error) => {
      this.errors.push(error);
      rpc.fail(error);
    });
    worker.on('exit', () => rpc.fail(new Error(`the worker of ${name} exited`)));
    this.#workers.set(name, { worker, rpc });
  }

  #rpc(app: string): Rpc {
    this.system.classOf(app);
    return this.#workers.get(app)!.rpc;
  }

  call(app: string, method: string, ...args: unknown[]): Promise<unknown> {
    return this.#rpc(app).request('call', method, args);
  }

  waitFor(app: string, position: Position, timeoutMs: number): Promise<void> {
    const at = resolvePosition(app, this.system.follows(app), position);
    return this.#rpc(app).request('waitFor', at.leader, at.position, timeoutMs);
  }

  async status(): Promise<FollowerStatus[]> {
    const names = this.system.followers;
    const all = await Promise.all(
      names.map((n) => this.#rpc(n).request<FollowerStatus[]>('status')),
    );
    return all.flat();
  }
}
