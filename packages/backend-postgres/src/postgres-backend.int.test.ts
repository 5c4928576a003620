import { it } from 'node:test';

import {
  backendContract,
  dropSchema,
  requireService,
  testPgUrl,
  uniqueSchema,
} from '@eventum/testing';
import { createPostgresBackend } from './plugin.js';

const MAX_RESULTS = 50;

const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('PostgreSQL backend contract', (t) => t.skip(reason));
});

// The PostgreSQL backend passes the contract every backend passes; `open` reopens the same
// schema (a fresh one per storage).
if (available) {
  backendContract('postgres', () => {
    const schema = uniqueSchema();
    return Promise.resolve({
      open: (context) =>
        createPostgresBackend(
          { url: testPgUrl, schema, timeseries_max_results: MAX_RESULTS, flush_period: 0.05 },
          context,
        ),
      persistent: true,
      maxResults: MAX_RESULTS,
      remove: () => dropSchema(schema),
    });
  });
}
