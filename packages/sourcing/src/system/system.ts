import { invalidArgument } from '@eventum/core';

import { Application } from '../application.js';
import { isProcessClass } from './process-application.js';
import type { ApplicationClass } from './process-application.js';

/** The name a system gives an application class: its static `applicationName`, else the class
 * name. It is also the application's name in storage (table prefix, tracking records). */
export function applicationNameOf(cls: ApplicationClass): string {
  const own = (cls as { applicationName?: unknown }).applicationName;
  return typeof own === 'string' && own.length > 0 ? own : cls.name;
}

/**
 * A system of applications defined by pipes (the Python library's `System`): each pipe
 * `[A, B, C]` says B follows A and C follows B. Edges are kept in the order first defined,
 * without repeats; cycles are allowed (A ⇄ B). Checked at construction
 * (`ERR_INVALID_ARGUMENT`): every element is an application class, two classes never share a
 * name, and every follower is a process application.
 */
export class System {
  /** Application name → class, in the order first seen. */
  readonly nodes: ReadonlyMap<string, ApplicationClass>;
  /** `[leader, follower]` pairs in definition order. */
  readonly edges: readonly (readonly [string, string])[];

  constructor(pipes: Iterable<Iterable<ApplicationClass>>) {
    const nodes = new Map<string, ApplicationClass>();
    const edges: [string, string][] = [];
    for (const pipe of pipes) {
      let previous: string | undefined;
      for (const cls of pipe) {
        const name = addNode(nodes, cls);
        if (previous !== undefined && !edges.some(([l, f]) => l === previous && f === name))
          edges.push([previous, name]);
        previous = name;
      }
    }
    if (nodes.size === 0) throw invalidArgument('a system needs at least one application');
    for (const [, follower] of edges) {
      if (!isProcessClass(nodes.get(follower)!))
        throw invalidArgument(`${follower} follows an application but is not a ProcessApplication`);
    }
    this.nodes = nodes;
    this.edges = edges;
  }

  /** The applications `name` follows, in definition order. */
  follows(name: string): string[] {
    return this.edges.filter(([, f]) => f === name).map(([l]) => l);
  }

  /** The applications that follow `name`, in definition order. */
  leads(name: string): string[] {
    return this.edges.filter(([l]) => l === name).map(([, f]) => f);
  }

  get leaders(): string[] {
    return this.#names((n) => this.leads(n).length > 0);
  }

  get followers(): string[] {
    return this.#names((n) => this.follows(n).length > 0);
  }

  /** Leaders that follow nothing: where commands enter the system. */
  get leadersOnly(): string[] {
    return this.#names((n) => this.leads(n).length > 0 && this.follows(n).length === 0);
  }

  /** Applications that both follow and lead. */
  get processors(): string[] {
    return this.#names((n) => this.leads(n).length > 0 && this.follows(n).length > 0);
  }

  /** Applications in no pipe edge. */
  get singles(): string[] {
    return this.#names((n) => this.leads(n).length === 0 && this.follows(n).length === 0);
  }

  /** The class of application `name`; `ERR_INVALID_ARGUMENT` for a name not in the system. */
  classOf(name: string): ApplicationClass {
    const cls = this.nodes.get(name);
    if (cls === undefined)
      throw invalidArgument(
        `no application ${JSON.stringify(name)} in the system (it has ${[...this.nodes.keys()].join(', ')})`,
      );
    return cls;
  }

  /** The order a runner starts applications in: followers first (so no prompt is missed),
   * then leaders only, then singles. Stopping goes the other way. */
  get startOrder(): string[] {
    return [...this.followers, ...this.leadersOnly, ...this.singles];
  }

  #names(keep: (name: string) => boolean): string[] {
    return [...this.nodes.keys()].filter(keep);
  }
}

function addNode(nodes: Map<string, ApplicationClass>, cls: ApplicationClass): string {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Application))
    throw invalidArgument(`a pipe holds application classes, got ${describe(cls)}`);
  const name = applicationNameOf(cls);
  const known = nodes.get(name);
  if (known !== undefined && known !== cls)
    throw invalidArgument(`two application classes are named ${name}`);
  nodes.set(name, cls);
  return name;
}

function describe(value: unknown): string {
  return typeof value === 'function' ? `function ${value.name}` : typeof value;
}
