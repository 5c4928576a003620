// Child process of `crash.int.test.ts` (see runCrashWriter): writes to the textlog directory
// given as argument until killed.
import { runCrashWriter } from '@eventum/testing';

import { createTextlogBackend } from '../plugin.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer <directory>');
await runCrashWriter((context) =>
  createTextlogBackend({ path, flush_period: 0.02, span: 5 }, context),
);
