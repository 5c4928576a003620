import { inspectLmdb, inspectionRecord } from '@eventum/backend-lmdb';

import { parseCommand, UsageError } from '../usage.js';
import { dbOptionHelp, dbOptionSpec, dbPath, dbHints, explainFileErrors } from './lmdb-files.js';

export const lmdbInspectHelp = `Usage: eventum lmdb inspect [--db PATH]

Prints a summary of an LMDB storage file as one JSON object (indented when stdout is a
terminal, one line otherwise): "settings" (storage version and identifier), "servers" (last
event id and timestamp of each server), "partitions" (order, subscriptions, entry count and
bytes of each timeseries partition), "latest_count" (types in the latest store) and
"ref_count" (stored events). The file is opened read-only, so this works while a server is
using it; it shows what the server has written so far (events reach the file within the
backend's flush_period).

${dbOptionHelp}`;

export async function lmdbInspectCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('lmdb inspect', args, dbOptionSpec);
  if (values['help'] === true) {
    process.stdout.write(`${lmdbInspectHelp}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `eventum lmdb inspect: unexpected ${positionals.join(' ')} (name the file with --db PATH)`,
    );
  }
  const db = dbPath(values);
  return explainFileErrors(
    'inspect',
    async () => {
      const record = inspectionRecord(await inspectLmdb(db.path));
      const indent = process.stdout.isTTY ? 2 : undefined;
      process.stdout.write(`${JSON.stringify(record, null, indent)}\n`);
      return 0;
    },
    dbHints(db),
  );
}
