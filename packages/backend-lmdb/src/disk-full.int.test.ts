import { join } from 'node:path';
import { describe, it } from 'node:test';

import { assertDiskFullRecovery } from '@eventum/testing';

import { createLmdbBackend } from './plugin.js';

describe('LMDB backend on a full disk', () => {
  it('refuses registrations cleanly, keeps what it accepted, and recovers when space returns', (t) =>
    assertDiskFullRecovery(t, (dir, context) =>
      createLmdbBackend({ db_path: join(dir, 'events.db'), flush_period: 0.05 }, context),
    ));
});
