import { join } from 'node:path';
import { describe, it } from 'node:test';

import { assertDiskFullRecovery } from '@eventum/testing';

import { createTextlogBackend } from './plugin.js';

describe('textlog backend on a full disk', () => {
  for (const flushPeriod of [0.05, 0]) {
    it(`refuses registrations cleanly, keeps what it accepted, and recovers (flush_period ${flushPeriod})`, (t) =>
      assertDiskFullRecovery(t, (dir, context) =>
        createTextlogBackend({ path: join(dir, 'log'), flush_period: flushPeriod }, context),
      ));
  }
});
