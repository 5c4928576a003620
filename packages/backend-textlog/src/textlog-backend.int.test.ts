import { backendContract, tempDir } from '@eventum/testing';

import { createTextlogBackend } from './plugin.js';

const MAX_RESULTS = 50;

// The textlog backend passes the contract every backend passes; `open` reopens the same directory.
backendContract('textlog', async () => {
  const dir = await tempDir('eventum-textlog-');
  return {
    open: (context) =>
      createTextlogBackend(
        { path: dir.path, max_results: MAX_RESULTS, flush_period: 0.05 },
        context,
      ),
    persistent: true,
    maxResults: MAX_RESULTS,
    remove: () => dir.remove(),
  };
});
