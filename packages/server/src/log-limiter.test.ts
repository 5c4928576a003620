import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { recordingLogger } from '@eventum/testing';

import { LogLimiter } from './log-limiter.js';

function limiter(burst = 3, intervalMs = 1000) {
  const clock = { now: 0 };
  const { logger, lines } = recordingLogger();
  const limit = new LogLimiter(logger, { burst, intervalMs, now: () => clock.now });
  return { clock, logger, lines, limit };
}

describe('LogLimiter', () => {
  it('logs the first lines of a kind, then a summary of the suppressed ones on close', () => {
    const { logger, lines, limit } = limiter();
    for (let i = 0; i < 10_000; i++) limit.log(logger, 'warn', 'bad', 'bad frame', { i });
    assert.equal(lines.length, 3);
    limit.close();
    assert.equal(lines.length, 4);
    assert.deepEqual(lines[3], {
      level: 'warn',
      message: 'bad frame: 9997 more suppressed',
      fields: { kind: 'bad', suppressed: 9997, intervalMs: 1000 },
    });
  });

  it('summarises and starts a new burst once the interval has passed', () => {
    const { clock, logger, lines, limit } = limiter(2);
    for (let i = 0; i < 5; i++) limit.log(logger, 'warn', 'bad', 'bad frame');
    clock.now = 1000;
    limit.log(logger, 'warn', 'bad', 'bad frame');
    assert.deepEqual(
      lines.map((l) => l.message),
      ['bad frame', 'bad frame', 'bad frame: 3 more suppressed', 'bad frame'],
    );
    limit.close();
    assert.equal(lines.length, 4, 'nothing suppressed in the new interval, no summary');
  });

  it('limits each kind on its own and keeps the caller’s logger fields', () => {
    const { logger, lines, limit } = limiter(1);
    const child = logger.child({ connection: 7 });
    limit.log(child, 'warn', 'a', 'first');
    limit.log(child, 'warn', 'a', 'first');
    limit.log(child, 'info', 'b', 'second');
    assert.deepEqual(
      lines.map((l) => [l.level, l.message, l.fields['connection']]),
      [
        ['warn', 'first', 7],
        ['info', 'second', 7],
      ],
    );
    limit.flush();
    assert.equal(lines[2]?.message, 'first: 1 more suppressed');
    limit.close();
  });

  it('rejects a burst below 1 and a non-positive interval', () => {
    const { logger } = recordingLogger();
    const invalid = (e: unknown): boolean => isEventumError(e, 'ERR_INVALID_ARGUMENT');
    assert.throws(() => new LogLimiter(logger, { burst: 0 }), invalid);
    assert.throws(() => new LogLimiter(logger, { intervalMs: 0 }), invalid);
  });
});
