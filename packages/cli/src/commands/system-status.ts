import {
  listParked,
  localLeaderLog,
  openSystemApplication,
  replayParked,
  skipParked,
  storedStatus,
} from '@eventum/sourcing';
import type { Application, ProcessApplication, RunnerOptions, System } from '@eventum/sourcing';

import { integerOption, UsageError } from '../usage.js';

/** Opens applications once each; closes them all at the end. */
async function withApps<T>(
  system: System,
  options: RunnerOptions,
  use: (open: (name: string) => Promise<Application>) => Promise<T>,
): Promise<T> {
  const opened = new Map<string, Promise<Application>>();
  const open = (name: string): Promise<Application> => {
    let app = opened.get(name);
    if (app === undefined) opened.set(name, (app = openSystemApplication(system, name, options)));
    return app;
  };
  try {
    return await use(open);
  } finally {
    for (const app of opened.values()) await (await app.catch(() => undefined))?.close();
  }
}

/** `eventum system status`: one line per follower → leader edge (or JSON). */
export async function statusAction(
  system: System,
  options: RunnerOptions,
  json: boolean,
): Promise<number> {
  const rows = await withApps(system, options, (open) => storedStatus(system, open));
  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  const lines = [['APPLICATION', 'LEADER', 'POSITION', 'LEADER MAX', 'LAG', 'PARKED', 'STATE']];
  for (const r of rows)
    lines.push([
      r.application,
      r.leader,
      String(r.position),
      String(r.leaderMax),
      String(r.lag),
      String(r.parked),
      r.state,
    ]);
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines)
    process.stdout.write(
      `${l
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  return 0;
}

/** `eventum system parked|replay|skip`. */
export async function parkedAction(
  action: 'parked' | 'replay' | 'skip',
  system: System,
  name: string,
  options: RunnerOptions,
  values: Record<string, unknown>,
): Promise<number> {
  if (!system.followers.includes(name))
    throw new UsageError(`${name} is not a follower in the system`);
  return withApps(system, options, async (open) => {
    const app = (await open(name)) as ProcessApplication;
    if (action === 'parked') {
      const parked = await listParked(app, { includeResolved: values['all'] === true });
      for (const p of parked) process.stdout.write(`${JSON.stringify(p)}\n`);
      return 0;
    }
    const leader = values['leader'];
    const id = integerOption('id', values['id']);
    if (typeof leader !== 'string' || id === undefined)
      throw new UsageError(`eventum system ${action}: --leader and --id are required`);
    if (action === 'skip') await skipParked(app, leader, id);
    else await replayParked(app, localLeaderLog(await open(leader), false), id);
    return 0;
  });
}
