import { copyLmdb } from '@eventum/backend-lmdb';

import { CopyProgress, formatCount } from '../copy-progress.js';
import { parseCommand, UsageError } from '../usage.js';
import { explainFileErrors } from './lmdb-files.js';

export const lmdbCopyHelp = `Usage: eventum lmdb copy [--skip-latest] [--skip-timeseries] SRC DST

Copies the LMDB file SRC into the new file DST (which must not exist) from one consistent
snapshot of SRC, so SRC may be in use by a running server. Shows progress on stderr and prints
a summary line when done. DST is written compactly (no free pages).

  --skip-latest       leave out the latest store (types and their latest events)
  --skip-timeseries   leave out the timeseries partitions and their entries
Stored-event references (REF) to what was left out are dropped with it.

A failed copy deletes DST; an interrupted one (Ctrl-C) leaves an incomplete DST behind, which
must be deleted before trying again.`;

const options = {
  'skip-latest': { type: 'boolean', default: false },
  'skip-timeseries': { type: 'boolean', default: false },
} as const;

export async function lmdbCopyCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('lmdb copy', args, options);
  if (values['help'] === true) {
    process.stdout.write(`${lmdbCopyHelp}\n`);
    return 0;
  }
  const [src, dst, ...rest] = positionals;
  if (src === undefined || dst === undefined) {
    throw new UsageError('eventum lmdb copy: SRC and DST are required');
  }
  if (rest.length > 0) throw new UsageError(`eventum lmdb copy: unexpected ${rest.join(' ')}`);
  const skipLatest = values['skip-latest'] === true;
  const skipTimeseries = values['skip-timeseries'] === true;
  const progress = new CopyProgress(process.stderr);
  const started = performance.now();
  return explainFileErrors(
    'copy',
    async () => {
      try {
        await copyLmdb(src, dst, {
          skipLatest,
          skipTimeseries,
          onProgress: (done, total) => progress.update(done, total),
        });
      } finally {
        progress.end();
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const skipped = [skipLatest && 'latest', skipTimeseries && 'timeseries'].filter(Boolean);
      const without = skipped.length === 0 ? '' : ` (without ${skipped.join(' and ')})`;
      process.stdout.write(
        `copied ${formatCount(progress.done)} records from ${src} to ${dst}${without} in ${seconds} s\n`,
      );
      return 0;
    },
    { conflict: ' (copy writes a new file only: choose another DST or delete this one)' },
  );
}
