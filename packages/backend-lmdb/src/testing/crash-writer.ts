// Child process of `crash.int.test.ts` (see runCrashWriter): writes to the LMDB file given as
// argument until killed.
import { runCrashWriter } from '@eventum/testing';

import { createLmdbBackend } from '../plugin.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer <db path>');
await runCrashWriter((context) =>
  createLmdbBackend({ db_path: path, flush_period: 0.02 }, context),
);
