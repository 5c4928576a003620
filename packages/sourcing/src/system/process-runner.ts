import { ErrorCode, EventumError, GroupResource, invalidArgument } from '@eventum/core';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import { sleep } from '../abort.js';
import type { Application } from '../application.js';
import { promptOnCommit } from './leader-log.js';
import type { Prompt } from './leader-log.js';
import { callMethod, openSystemApplication } from './local-runners.js';
import { resolvePosition } from './runner.js';
import type { Position, Runner, RunnerOptions } from './runner.js';
import { storedStatus } from './stored-status.js';
import type { StoredStatus } from './stored-status.js';
import type { System } from './system.js';
import { loadSystem } from './system-module.js';
import type { SystemModule } from './worker-runner.js';

/** Options of a {@link ProcessRunner}. */
export interface ProcessRunnerOptions extends RunnerOptions {
  /** The command that runs application `app` (`eventum system run <file> --app <app>`). It
   * must print a line `{"ready":"<app>"}` once it follows and leads. */
  readonly command: (app: string) => readonly [string, ...string[]];
  /** Sends the prompts of commands given through {@link ProcessRunner.call} (over NATS:
   * `busPublisher(bus)`; over PostgreSQL: a `PostgresWake`'s `notify`). */
  readonly publish: (prompt: Prompt) => void;
  /** Wait before restarting a process that exited on its own (default 200 ms). */
  readonly restartDelayMs?: number;
  /** How long a process may take to print its ready line (default 30 s). */
  readonly readyTimeoutMs?: number;
}

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  restarts: number;
}

/**
 * Runs each application of a system in its own OS process, started in the system's start
 * order and stopped in the reverse one (SIGTERM, then SIGKILL after 10 s). A process that exits
 * on its own is started again and resumes from its tracking records. Storage must be shared
 * (PostgreSQL): followers read their leaders' tables, and this process opens the applications
 * too, for `call`, `waitFor` and `status` (read from storage).
 */
export class ProcessRunner extends GroupResource implements Runner {
  readonly errors: Error[] = [];
  readonly #ref: SystemModule;
  readonly #options: ProcessRunnerOptions;
  readonly #children = new Map<string, Child>();
  readonly #local = new Map<string, Promise<Application>>();
  #system: System | undefined;
  #stopping = false;

  constructor(ref: SystemModule, options: ProcessRunnerOptions) {
    super();
    this.#ref = ref;
    this.#options = options;
    this.group.onClose(() => this.#stopAll());
  }

  get system(): System {
    if (this.#system === undefined) throw invalidArgument('the runner is not started');
    return this.#system;
  }

  async start(): Promise<void> {
    if (this.#system !== undefined) throw invalidArgument('the runner is started already');
    this.#system = await loadSystem(this.#ref.module, this.#ref.exportName);
    try {
      for (const name of this.system.startOrder) {
        this.#spawn(name, 0);
        await this.#children.get(name)!.ready;
      }
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** The process id of application `app`'s process now. */
  pid(app: string): number | undefined {
    return this.#children.get(app)?.process.pid;
  }

  /** How often `app`'s process was restarted. */
  restarts(app: string): number {
    return this.#children.get(app)?.restarts ?? 0;
  }

  /** Resolves once `app`'s process (maybe a restarted one) printed its ready line. */
  ready(app: string): Promise<void> {
    return this.#children.get(app)?.ready ?? Promise.reject(invalidArgument(`no process ${app}`));
  }

  #spawn(name: string, restarts: number): void {
    const [command, ...args] = this.#options.command(name);
    const env = { ...process.env, ...this.#options.env };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = readyLine(child, name, this.#options.readyTimeoutMs ?? 30_000);
    ready.catch(() => undefined);
    this.#children.set(name, { process: child, ready, restarts });
    child.once('exit', () => {
      if (this.#stopping) return;
      void sleep('restart delay', this.#options.restartDelayMs ?? 200, this.group.signal)
        .then(() => this.#spawn(name, restarts + 1))
        .catch(() => undefined);
    });
  }

  async #stopAll(): Promise<void> {
    this.#stopping = true;
    for (const name of [...this.#children.keys()].reverse()) {
      const child = this.#children.get(name)!.process;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    for (const app of this.#local.values()) await (await app.catch(() => undefined))?.close();
  }

  /** This process's own instance of `app` (for calls and reads); its commits prompt over the bus. */
  #app(name: string): Promise<Application> {
    this.system.classOf(name);
    let app = this.#local.get(name);
    if (app === undefined) {
      app = openSystemApplication(this.system, name, this.#options).then((a) => {
        if (this.system.leads(name).length > 0) promptOnCommit(a, false, this.#options.publish);
        return a;
      });
      this.#local.set(name, app);
    }
    return app;
  }

  async call(app: string, method: string, ...args: unknown[]): Promise<unknown> {
    return callMethod(await this.#app(app), method, args);
  }

  /** Polls `app`'s tracking records (they are in storage; the process may be restarting). */
  async waitFor(app: string, position: Position, timeoutMs: number): Promise<void> {
    const at = resolvePosition(app, this.system.follows(app), position);
    const deadline = Date.now() + timeoutMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const status = await this.status();
      const s = status.find((x) => x.application === app && x.leader === at.leader)!;
      if (s.position >= at.position || (s.lag === 0 && s.leaderMax >= at.position)) return;
      if (Date.now() >= deadline) {
        const message = `${app} did not reach ${at.leader}'s notification ${at.position} within ${timeoutMs} ms`;
        throw new EventumError(ErrorCode.Timeout, message);
      }
      await sleep('waiting for a follower', wait, this.group.signal);
    }
  }

  status(): Promise<StoredStatus[]> {
    return storedStatus(this.system, (name) => this.#app(name));
  }
}

/** Resolves when `child` prints `{"ready":"<name>"}`; rejects when it exits or times out first. */
function readyLine(child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new EventumError(ErrorCode.Timeout, `${name} was not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{"ready":')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready`));
    });
  });
}
