import assert from 'node:assert/strict';
import { it } from 'node:test';

import { createInProcessBus } from '@eventum/core';
import { takeEvents } from '@eventum/testing';

import { createNotifier } from './notifier.js';
import { take } from './testing/helpers.js';

it('a publisher routes each notification by its own origin, past the subjects it remembers', async () => {
  const bus = createInProcessBus();
  const notifier = createNotifier({ bus, system: 'pub' });
  const sub = notifier.subscribe({ kind: 'process-lifecycle', bufferSize: 4096 });
  const publisher = notifier.publisher('process-lifecycle', { origin: 'home' });
  // More distinct origins than a notifier keeps subjects for (1024), then the first ones again.
  const origins = Array.from({ length: 1100 }, (_, i) => `site${i}.worker`);
  const sent = [...origins, 'site0.worker', undefined, 'site1099.worker'];
  for (const origin of sent) {
    publisher.publish(origin === undefined ? { state: 'READY' } : { origin, state: 'READY' });
  }
  notifier.publish('process-lifecycle', { origin: 'site0.worker', state: 'ACTIVE' });
  const received = await take(sub, sent.length + 1);
  const expected = [...sent.map((origin) => origin ?? 'home'), 'site0.worker'];
  assert.deepEqual(
    received.map((n) => n.origin),
    expected,
  );
  assert.deepEqual(
    received.map((n) => n.topic),
    expected.map((origin) => `pub.events.1052.${origin}`),
  );
  assert.equal(notifier.stats.invalid, 0);
  await bus.close();
});

it("a publish reads the clock once: the envelope's ts is the default datetime", async () => {
  const bus = createInProcessBus();
  const notifier = createNotifier({ bus, system: 'pub' });
  const raw = bus.subscribe('pub.events.>');
  const publisher = notifier.publisher('process-lifecycle', { origin: 'home' });
  publisher.publish({ state: 'READY' });
  // A datetime of the caller's stays in the payload; the envelope still says when it was sent.
  const before = Date.now() / 1000;
  publisher.publish({ state: 'READY', datetime: 5 });
  const [defaulted, given] = await takeEvents(raw, 2);
  assert.equal(defaulted?.ts, defaulted?.payload['datetime']);
  assert.equal(given?.payload['datetime'], 5);
  assert.ok((given?.ts ?? 0) >= before);
  await bus.close();
});
