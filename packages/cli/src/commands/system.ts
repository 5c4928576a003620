import { fileURLToPath } from 'node:url';

import {
  ApplicationNode,
  ProcessRunner,
  configOf,
  loadSystem,
  localLeaderLog,
  openSystemApplication,
} from '@eventum/sourcing';
import type { Application, RunnerOptions, System } from '@eventum/sourcing';
import { acquireRunLock } from '@eventum/sourcing/postgres';
import type { PostgresWake } from '@eventum/sourcing/postgres';
import type { Logger } from '@eventum/core';

import { createLogger } from '../logger.js';
import { integerOption, parseCommand, UsageError } from '../usage.js';
import { parkedAction, statusAction } from './system-status.js';
import { openWakes } from './system-wake.js';
import type { Wakes } from './system-wake.js';

export const systemHelp = `Usage: eventum system run FILE --app NAME [options]
       eventum system start FILE [options]
       eventum system status FILE [--json]
       eventum system parked FILE --app NAME [--all] [--json]
       eventum system replay FILE --app NAME --leader NAME --id N
       eventum system skip FILE --app NAME --leader NAME --id N

FILE is a JavaScript module exporting a System (as 'system', or --export NAME). Applications
read their storage from the environment (PERSISTENCE_MODULE=postgres, POSTGRES_URL, …; each key
first as <APP>_KEY): processes of one system share one PostgreSQL database.

run      runs application NAME in this process: follows its leaders (prompts over NATS and/or
         LISTEN/NOTIFY, and a safety poll), prompts its followers; prints {"ready":NAME} once running; stops on
         SIGTERM/SIGINT
start    runs every application as its own 'eventum system run' process, in order; restarts
         a process that exits; stops them all in reverse order on SIGTERM/SIGINT
status   prints each follower's position, its leader's max, the lag and parked events
parked   lists the events application NAME parked (dead letters)
replay   runs NAME's policy again on a parked event (after the cause was fixed)
skip     closes a parked event without processing it

  --export NAME     the System's export name (default system)
  --nats URLS       NATS server URLs for prompts (default $EVENTUM_NATS_URL or
                    nats://127.0.0.1:4222)
  --wake LIST       how processes prompt each other: nats, pg (PostgreSQL LISTEN/NOTIFY in
                    the application's schema) or both (default: nats, plus pg on PostgreSQL)
  --poll-ms N       the followers' safety poll (default 1000)
  --retries N       a failing policy is retried N times with back-off (default 3) ...
  --then WHAT       ... then the event is parked (park, the default) or the follower stops (stop)`;

const options = {
  app: { type: 'string' },
  export: { type: 'string' },
  nats: { type: 'string' },
  'poll-ms': { type: 'string' },
  wake: { type: 'string' },
  retries: { type: 'string' },
  then: { type: 'string' },
  leader: { type: 'string' },
  id: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function systemCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('system', args, options);
  const [action, file] = positionals;
  if (values['help'] === true || action === undefined) {
    process.stdout.write(`${systemHelp}\n`);
    return action === undefined && values['help'] !== true ? 2 : 0;
  }
  if (file === undefined) throw new UsageError(`eventum system ${action}: missing FILE`);
  const system = await loadSystem(file, values['export'] as string | undefined);
  const pollMs = integerOption('poll-ms', values['poll-ms']);
  const runnerOptions: RunnerOptions = {
    env: process.env,
    ...(pollMs === undefined ? {} : { pollMs }),
    ...errorPolicyOption(values),
  };
  switch (action) {
    case 'run':
      return run(system, requireApp(values, action), runnerOptions, values);
    case 'start':
      return start(file, values, runnerOptions);
    case 'status':
      return statusAction(system, runnerOptions, values['json'] === true);
    case 'parked':
    case 'replay':
    case 'skip':
      return parkedAction(action, system, requireApp(values, action), runnerOptions, values);
    default:
      throw new UsageError(`eventum system: unknown action '${action}'`);
  }
}

function errorPolicyOption(values: Record<string, unknown>): Pick<RunnerOptions, 'errorPolicy'> {
  const retries = integerOption('retries', values['retries']);
  const then = values['then'] as string | undefined;
  if (then !== undefined && then !== 'park' && then !== 'stop')
    throw new UsageError(`--then must be park or stop, got ${JSON.stringify(then)}`);
  if (retries === undefined && then === undefined) return {};
  return {
    errorPolicy: {
      ...(retries === undefined ? {} : { retries }),
      ...(then === undefined ? {} : { then }),
    },
  };
}

function requireApp(values: Record<string, unknown>, action: string): string {
  const app = values['app'];
  if (typeof app !== 'string') throw new UsageError(`eventum system ${action}: --app is required`);
  return app;
}

/** Resolves on the first SIGTERM or SIGINT. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

async function run(
  system: System,
  name: string,
  runnerOptions: RunnerOptions,
  values: Record<string, unknown>,
): Promise<number> {
  system.classOf(name);
  const stop = stopSignal();
  const logger = createLogger('info', { app: name });
  const lock = await runLock(system, name, logger, stop);
  if (lock === null) return 0;
  const leaders: Application[] = [];
  let wakes: Wakes | undefined;
  try {
    wakes = await openWakes(values, name, process.env, logger);
    const node = await openNode(system, name, { ...runnerOptions, logger }, wakes, leaders);
    await wakes.listen(system.follows(name), (p) => node.receive(p));
    process.stdout.write(`${JSON.stringify({ ready: name, pid: process.pid })}\n`);
    logger.info('stopping', { signal: await stop });
    await node.close();
    return 0;
  } finally {
    for (const app of leaders) await app.close();
    await wakes?.close();
    await lock?.close();
  }
}

/** Application `name` with its follower reading its leaders' tables (opened into `leaders`). */
function openNode(
  system: System,
  name: string,
  options: RunnerOptions & { readonly logger: Logger },
  wakes: Wakes,
  leaders: Application[],
): Promise<ApplicationNode> {
  return ApplicationNode.open(system, name, options, {
    leaderLog: async (leader) => {
      const app = await openSystemApplication(system, leader, options);
      leaders.push(app);
      return localLeaderLog(app, false);
    },
    publish: wakes.publish,
    onError: (error) => options.logger.error('follower stopped', { error: error.message }),
  });
}

/**
 * A follower on PostgreSQL runs in one process at a time: it waits here for the run lock (a
 * standby takes over when the holder's session ends) and exits with 1 if it loses it. `null`
 * when stopped while waiting; `undefined` when no lock applies.
 */
async function runLock(
  system: System,
  name: string,
  logger: Logger,
  stop: Promise<string>,
): Promise<PostgresWake | null | undefined> {
  const persistence = configOf({ name, env: process.env }).persistence;
  if (persistence.type !== 'postgres' || system.follows(name).length === 0) return undefined;
  const abort = new AbortController();
  void stop.then(() => abort.abort());
  logger.info('waiting for the run lock');
  try {
    const lock = await acquireRunLock({ ...persistence, name, logger, signal: abort.signal });
    void lock.closed.then((reason) => {
      if (reason === undefined) return;
      logger.error('run lock lost: stopping', { error: reason.message });
      process.exit(1);
    });
    return lock;
  } catch (error) {
    if (abort.signal.aborted) return null;
    throw error;
  }
}

async function start(
  file: string,
  values: Record<string, unknown>,
  runnerOptions: RunnerOptions,
): Promise<number> {
  const stop = stopSignal();
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const passOn = ['export', 'nats', 'poll-ms', 'wake', 'retries', 'then'].flatMap((k) =>
    typeof values[k] === 'string' ? [`--${k}`, values[k]] : [],
  );
  const system = await loadSystem(file, values['export'] as string | undefined);
  const entry = system.leadersOnly[0] ?? system.startOrder[0]!;
  const wakes = await openWakes(values, entry, process.env, createLogger('warn'));
  const exportName = typeof values['export'] === 'string' ? { exportName: values['export'] } : {};
  const runner = new ProcessRunner(
    { module: file, ...exportName },
    {
      ...runnerOptions,
      publish: wakes.publish,
      command: (app) => [process.execPath, main, 'system', 'run', file, '--app', app, ...passOn],
    },
  );
  try {
    await runner.start();
    process.stdout.write(`${JSON.stringify({ ready: [...runner.system.startOrder] })}\n`);
    await stop;
    return 0;
  } finally {
    await runner.close();
    await wakes.close();
  }
}
