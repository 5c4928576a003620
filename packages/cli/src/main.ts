#!/usr/bin/env node
/**
 * The `eventum` command: the only composition root of eventum (it alone knows which backend is
 * concrete). Exit codes: 0 success, 1 failure, 2 bad command line.
 */
import { busCommand } from './commands/bus.js';
import { lmdbCommand } from './commands/lmdb.js';
import { notifyCommand } from './commands/notify.js';
import { queryCommand } from './commands/query.js';
import { registerCommand } from './commands/register.js';
import { serverCommand } from './commands/server.js';
import { subscribeCommand } from './commands/subscribe.js';
import { systemCommand } from './commands/system.js';
import { describeFailure, UsageError } from './usage.js';

const help = `Usage: eventum <command> [options]

Commands:
  server      run the event server (eventum server --conf server.yaml)
  register    register an event
  query       query latest values, time series or one server's history
  subscribe   print live events matching type patterns
  lmdb        inspect, query or copy an LMDB storage file (works while a server runs)
  bus         publish to or subscribe on the bus (NATS, JetStream) directly
  system      run, supervise and inspect a System of event-sourced process applications
  notify      publish and subscribe typed notifications by kind and origin; the event monitor

Run 'eventum <command> --help' for a command's options.`;

const commands: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = {
  server: serverCommand,
  register: registerCommand,
  query: queryCommand,
  subscribe: subscribeCommand,
  lmdb: lmdbCommand,
  bus: busCommand,
  system: systemCommand,
  notify: notifyCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw new UsageError(`eventum: unknown command '${name}'`);
  return command(args);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const { message, exitCode } = describeFailure(error);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
}
