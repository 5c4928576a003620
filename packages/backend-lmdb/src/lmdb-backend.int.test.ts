import { join } from 'node:path';

import { backendContract, tempDir } from '@eventum/testing';

import { createLmdbBackend } from './plugin.js';

const MAX_RESULTS = 50;

// The LMDB backend passes the contract every backend passes; `open` reopens the same file.
backendContract('lmdb', async () => {
  const dir = await tempDir('eventum-lmdb-');
  const dbPath = join(dir.path, 'events.db');
  return {
    open: (context) =>
      createLmdbBackend({ db_path: dbPath, timeseries_max_results: MAX_RESULTS }, context),
    persistent: true,
    maxResults: MAX_RESULTS,
    remove: () => dir.remove(),
  };
});
