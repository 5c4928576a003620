import { GroupResource, invalidArgument } from '@eventum/core';
import { AsyncLocalStorage } from 'node:async_hooks';

import type { Application } from '../application.js';
import { openApplication } from '../open-application.js';
import { Follower } from './follower.js';
import type { ErrorPolicy, FollowerStatus } from './follower.js';
import { localLeaderLog, promptOnCommit } from './leader-log.js';
import type { Prompt } from './leader-log.js';
import type { ApplicationClass, ProcessApplication } from './process-application.js';
import { followerOptions, resolvePosition } from './runner.js';
import type { Position, Runner, RunnerOptions } from './runner.js';
import type { System } from './system.js';

/** Opens application `name` of `system` with the runner's environment. */
export function openSystemApplication(
  system: System,
  name: string,
  options: RunnerOptions,
): Promise<Application> {
  const cls = system.classOf(name);
  return openApplication({
    name,
    env: options.env ?? process.env,
    construct: (parts) => new cls(parts),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

/** Calls `method` of `app` (the `call` of every runner). */
export async function callMethod(app: object, method: string, args: unknown[]): Promise<unknown> {
  const fn = (app as Record<string, unknown>)[method];
  if (typeof fn !== 'function')
    throw invalidArgument(`${app.constructor.name} has no method ${JSON.stringify(method)}`);
  return await (fn as (...a: unknown[]) => unknown).apply(app, args);
}

/** The applications of a system in this thread, wired by commit listeners. */
abstract class LocalRunner extends GroupResource implements Runner {
  readonly system: System;
  readonly options: RunnerOptions;
  readonly errors: Error[] = [];
  readonly #apps = new Map<string, Application>();
  protected readonly followers = new Map<string, Follower>();
  #started = false;

  constructor(system: System, options: RunnerOptions = {}) {
    super();
    this.system = system;
    this.options = options;
  }

  protected abstract get defaultErrorPolicy(): ErrorPolicy | undefined;
  protected abstract deliver(prompt: Prompt): void | Promise<void>;
  protected abstract begin(): Promise<void>;

  async start(): Promise<void> {
    if (this.#started) throw invalidArgument('the runner is started already');
    this.#started = true;
    try {
      for (const name of this.system.startOrder) {
        const app = await openSystemApplication(this.system, name, this.options);
        this.#apps.set(name, this.group.adopt(app));
      }
      for (const name of this.system.followers) await this.#follow(name);
      for (const name of this.system.leaders) {
        const app = this.#apps.get(name)!;
        const push = app.events.recorder.gaplessIds === true;
        this.group.onClose(promptOnCommit(app, push, (p) => this.deliver(p)));
      }
      await this.begin();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async #follow(name: string): Promise<void> {
    const leaders = this.system.follows(name).map((l) => {
      const app = this.#apps.get(l)!;
      return localLeaderLog(app, app.events.recorder.gaplessIds === true);
    });
    const follower = new Follower(
      this.#apps.get(name) as ProcessApplication,
      leaders,
      followerOptions(this.options, this.defaultErrorPolicy),
    );
    this.followers.set(name, this.group.adopt(follower));
    await follower.init();
  }

  /** The application instance of class `cls` (this thread only). */
  get<A extends Application>(cls: ApplicationClass<A>): A {
    for (const [name, c] of this.system.nodes) if (c === cls) return this.app(name) as A;
    throw invalidArgument(`${cls.name} is not in the system`);
  }

  /** The application named `name`. */
  app(name: string): Application {
    this.system.classOf(name);
    const app = this.#apps.get(name);
    if (app === undefined) throw invalidArgument('the runner is not started');
    return app;
  }

  call(app: string, method: string, ...args: unknown[]): Promise<unknown> {
    return callMethod(this.app(app), method, args);
  }

  waitFor(app: string, position: Position, timeoutMs: number): Promise<void> {
    const follower = this.followers.get(app);
    if (follower === undefined) throw invalidArgument(`${app} is not a follower in the system`);
    const at = resolvePosition(app, this.system.follows(app), position);
    return follower.waitFor(at.leader, at.position, timeoutMs);
  }

  async status(): Promise<FollowerStatus[]> {
    const all = await Promise.all([...this.followers.values()].map((f) => f.status()));
    return all.flat();
  }
}

/**
 * Runs everything on the caller's turn (the Python library's `SingleThreadedRunner`): a save
 * resolves only after every follower downstream processed what it caused, breadth-first, in
 * definition order, so tests are deterministic. Concurrent commands are processed one cascade
 * at a time. By default a failing policy throws at once
 * (`ERR_PROCESSING`) to the caller of the command that caused it, although that command's
 * events are stored: the next prompt retries from the tracked position.
 */
export class SingleThreadedRunner extends LocalRunner {
  readonly #queue: string[] = [];
  /** Set inside the cascade: a save made by a policy is processed by the loop running it. */
  readonly #inCascade = new AsyncLocalStorage<true>();
  #current: Promise<void> | undefined;

  protected get defaultErrorPolicy(): ErrorPolicy {
    return { retries: 0, then: 'stop' };
  }

  protected async deliver(prompt: Prompt): Promise<void> {
    for (const name of this.system.leads(prompt.leader)) {
      this.followers.get(name)!.receive(prompt);
      if (!this.#queue.includes(name)) this.#queue.push(name);
    }
    if (this.#inCascade.getStore() === true) return;
    await this.#run();
  }

  protected async begin(): Promise<void> {
    this.#queue.push(...this.followers.keys());
    await this.#run();
  }

  /** Drains the queue. A concurrent caller waits for the loop under way (which processes what
   * it queued too), so every command resolves after its own cascade. */
  async #run(): Promise<void> {
    while (this.#current !== undefined) await this.#current.catch(() => undefined);
    if (this.#queue.length === 0) return;
    const loop = this.#inCascade.run(true, async () => {
      for (let name = this.#queue.shift(); name !== undefined; name = this.#queue.shift())
        await this.followers.get(name)!.drain();
    });
    this.#current = loop.finally(() => (this.#current = undefined));
    await this.#current;
  }
}

/**
 * Runs every follower concurrently on this event loop: a save resolves once stored, and each
 * follower processes in the background, serially for itself, on prompts and its safety timer.
 * Errors follow the error policy (default: 3 retries with back-off, then park).
 */
export class ConcurrentRunner extends LocalRunner {
  protected get defaultErrorPolicy(): undefined {
    return undefined;
  }

  protected deliver(prompt: Prompt): void {
    for (const name of this.system.leads(prompt.leader)) {
      const follower = this.followers.get(name)!;
      follower.receive(prompt);
      follower.kick();
    }
  }

  protected begin(): Promise<void> {
    for (const follower of this.followers.values())
      follower.start((error) => this.errors.push(error));
    return Promise.resolve();
  }
}
