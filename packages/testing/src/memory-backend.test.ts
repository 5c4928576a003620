import { createMemoryBackend } from '@eventum/core';

import { backendContract } from './backend-contract.js';

// The memory backend is the reference implementation: it must pass the contract it defines.
backendContract('memory', () =>
  Promise.resolve({
    open: (context) => createMemoryBackend({ maxResults: 50 }, context),
    persistent: false,
    maxResults: 50,
    remove: () => Promise.resolve(),
  }),
);
