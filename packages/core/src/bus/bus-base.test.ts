import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { Logger } from '../log/logger.js';
import { createInProcessBus } from './in-process-bus.js';

it('publishing on a closed bus warns once, then logs at debug, and counts every drop', async () => {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m) => void lines.push(`debug ${m}`),
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    child: () => logger,
  };
  const bus = createInProcessBus({ logger });
  await bus.close();
  for (let i = 0; i < 50; i++) bus.publish('a.b', {});
  assert.equal(lines.filter((l) => l.startsWith('warn')).length, 1);
  assert.equal(lines.filter((l) => l === 'debug publish on closed bus dropped').length, 49);
  assert.equal(bus.stats.dropped, 50);
});

it('a full subscription buffer warns on its first drop only', async () => {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => void warnings.push(m),
    error: () => undefined,
    child: () => logger,
  };
  await using bus = createInProcessBus({ logger });
  const sub = bus.subscribe('a', { bufferSize: 1 });
  for (let i = 0; i < 10; i++) bus.publish('a', { i });
  assert.equal(sub.dropped, 9);
  assert.deepEqual(warnings, ['bus subscription buffer full: dropping oldest']);
});
