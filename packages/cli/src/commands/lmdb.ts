import { UsageError } from '../usage.js';
import { lmdbCopyCommand } from './lmdb-copy.js';
import { lmdbInspectCommand } from './lmdb-inspect.js';
import { lmdbQueryCommand } from './lmdb-query.js';

export const lmdbHelp = `Usage: eventum lmdb inspect [--db PATH]
       eventum lmdb query [--db PATH] KIND [--server-id N] [--partition-id N] [EVENT_TYPE ...]
       eventum lmdb copy [--skip-latest] [--skip-timeseries] SRC DST

Tools for the LMDB backend's storage file (hat-event-lmdb-manager); they need no server:
  inspect   print a JSON summary: settings, servers' last ids, partitions, counts
  query     print the stored records of one kind, one JSON object per line
  copy      copy into a new file, optionally without the latest store or the timeseries

inspect and query open the file read-only, so they work while a server is using it.
Run 'eventum lmdb <subcommand> --help' for a subcommand's options.`;

const subcommands: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = {
  inspect: lmdbInspectCommand,
  query: lmdbQueryCommand,
  copy: lmdbCopyCommand,
};

export async function lmdbCommand(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${lmdbHelp}\n`);
    return name === undefined ? 2 : 0;
  }
  const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (subcommand === undefined) {
    throw new UsageError(
      `eventum lmdb: unknown subcommand '${name}', expected inspect, query or copy`,
    );
  }
  return subcommand(rest);
}
