import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { BusEvent } from './envelope.js';
import { publishSafely, runControlListener, runHealthHeartbeat } from './helpers.js';
import { createInProcessBus } from './in-process-bus.js';

it('publishSafely accepts a missing bus and swallows errors', async () => {
  publishSafely(null, 'a', {});
  await using bus = createInProcessBus();
  const warnings: string[] = [];
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    warn: (m: string) => void warnings.push(m),
    child: () => logger,
  };
  publishSafely(bus, 'bad topic', {}, { logger });
  assert.deepEqual(warnings, ['bus publish failed']);
});

it('the heartbeat publishes system.<worker>.health and survives a failing extra()', async () => {
  await using bus = createInProcessBus();
  const sub = bus.subscribe('system.*.health');
  const stop = new AbortController();
  let calls = 0;
  const extra = (): { n: number } => {
    calls += 1;
    if (calls === 1) throw new Error('boom');
    return { n: calls };
  };
  const running = runHealthHeartbeat(bus, 'agent', { intervalMs: 1, extra, signal: stop.signal });
  const iterator = sub[Symbol.asyncIterator]();
  const first = (await iterator.next()).value as BusEvent | undefined;
  const second = (await iterator.next()).value as BusEvent | undefined;
  stop.abort();
  await running;
  assert.equal(first?.topic, 'system.agent.health');
  assert.equal(first?.type, 'health');
  assert.deepEqual(Object.keys(first?.payload ?? {}).sort(), ['ts', 'worker']);
  assert.equal(second?.payload['n'], 2);
  await runHealthHeartbeat(null, 'x', { signal: AbortSignal.abort() });
});

it('the control listener stops on {action: stop} and ignores other actions', async () => {
  await using bus = createInProcessBus();
  const stop = new AbortController();
  const listening = runControlListener(bus, 'agent', { signal: stop.signal });
  bus.publish('system.agent.control', { action: 'dance' });
  bus.publish('system.agent.control', {});
  bus.publish('system.agent.control', { action: 'stop', requested_by: 'test' });
  assert.equal(await listening, 'stop');
  const idle = runControlListener(null, 'agent', { signal: stop.signal });
  stop.abort();
  assert.equal(await idle, 'aborted');
});
