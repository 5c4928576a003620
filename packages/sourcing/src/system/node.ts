import { GroupResource, invalidArgument } from '@eventum/core';

import type { Application } from '../application.js';
import { Follower } from './follower.js';
import type { FollowerStatus } from './follower.js';
import { promptOnCommit } from './leader-log.js';
import type { LeaderLog, Prompt } from './leader-log.js';
import { callMethod, openSystemApplication } from './local-runners.js';
import type { ProcessApplication } from './process-application.js';
import { followerOptions } from './runner.js';
import type { RunnerOptions } from './runner.js';
import type { System } from './system.js';

/** How a node reaches the rest of its system. */
export interface NodeLinks {
  /** The log of a leader this application follows (over a port, on PostgreSQL, …). */
  readonly leaderLog: (leader: string) => Promise<LeaderLog> | LeaderLog;
  /** Sends this application's prompts to its followers (when it leads any). */
  readonly publish: (prompt: Prompt) => void;
  /** Told of the application as soon as it is open, before its leaders are reached (a node
   * serving its log to followers must not wait for its own leaders: systems have cycles). */
  readonly opened?: (app: Application) => void;
  /** Hears the error that stopped the follower (error policy `'stop'`). */
  readonly onError?: (error: Error) => void;
}

/**
 * One application of a system running on its own (a worker thread, an OS process): it follows
 * its leaders through `links.leaderLog`, in the background, and prompts its followers through
 * `links.publish`. Prompts from leaders arrive through {@link ApplicationNode.receive}.
 */
export class ApplicationNode extends GroupResource {
  readonly name: string;
  readonly app: Application;
  readonly follower: Follower | undefined;
  readonly errors: Error[] = [];

  private constructor(name: string, app: Application, follower: Follower | undefined) {
    super();
    this.name = name;
    this.app = this.group.adopt(app);
    this.follower = follower && this.group.adopt(follower);
  }

  /** Opens application `name`, its follower (if it follows), and starts both. */
  static async open(
    system: System,
    name: string,
    options: RunnerOptions,
    links: NodeLinks,
  ): Promise<ApplicationNode> {
    const app = await openSystemApplication(system, name, options);
    links.opened?.(app);
    let node: ApplicationNode | undefined;
    try {
      const leaders = await Promise.all(
        system.follows(name).map(async (l) => await links.leaderLog(l)),
      );
      const follower =
        leaders.length === 0
          ? undefined
          : new Follower(app as ProcessApplication, leaders, followerOptions(options));
      node = new ApplicationNode(name, app, follower);
      if (system.leads(name).length > 0) {
        const push = app.events.recorder.gaplessIds === true;
        node.group.onClose(promptOnCommit(app, push, links.publish));
      }
      await follower?.init();
      follower?.start((error) => {
        node!.errors.push(error);
        links.onError?.(error);
      });
      return node;
    } catch (error) {
      await (node ?? app).close();
      throw error;
    }
  }

  /** A leader's prompt: processed in the background. */
  receive(prompt: Prompt): void {
    this.follower?.receive(prompt);
    this.follower?.kick();
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    return callMethod(this.app, method, args);
  }

  status(): Promise<FollowerStatus[]> {
    return this.follower?.status() ?? Promise.resolve([]);
  }

  waitFor(leader: string, position: number, timeoutMs: number): Promise<void> {
    if (this.follower === undefined) throw invalidArgument(`${this.name} follows nothing`);
    return this.follower.waitFor(leader, position, timeoutMs);
  }
}
