import assert from 'node:assert/strict';
import { it } from 'node:test';

import { createInProcessBus, createMemoryBackend, eventToJson } from '@eventum/core';
import type { Event } from '@eventum/core';
import { nothingMore, takeEvents, waitFor } from '@eventum/testing';

import { bridgeEnvelopeId, busSourceModule } from './bus-bridge.js';
import { SourceType } from './source.js';
import { startServer } from './testing/server-fixture.js';

const source = { type: SourceType.Server, id: 0 };

it('publishes every registered event under the prefix, with the event as payload', async (t) => {
  const bus = createInProcessBus();
  t.after(() => bus.close());
  const server = await startServer({ busBridge: { bus, prefix: 'eventum.1', persisted: false } });
  t.after(() => server.close());
  const sub = bus.subscribe('eventum.1.sensor.>');
  const payload = { type: 'json', data: { temp: 21.5 } } as const;
  const [event] =
    (await server.engineRunner.engine?.register(source, [
      { type: ['sensor', 'a.b', ''], payload },
    ])) ?? [];
  assert.ok(event);
  const [message] = await takeEvents(sub, 1);
  assert.equal(message?.topic, 'eventum.1.sensor.a~2Eb.~');
  assert.equal(message?.type, 'eventum.event');
  assert.equal(message?.id, bridgeEnvelopeId(event));
  assert.deepEqual(message?.payload, eventToJson(event));
  assert.deepEqual(message?.payload['payload'], { data_type: 'json', data: { temp: 21.5 } });
});

it('with persisted, publishes only once the backend reports the events flushed', async (t) => {
  const bus = createInProcessBus();
  t.after(() => bus.close());
  const held: (readonly Event[])[] = [];
  let flushed: ((events: readonly Event[]) => void) | undefined;
  const server = await startServer({
    busBridge: { bus, prefix: 'p', persisted: true },
    createBackend: (context) => {
      flushed = context.onFlushed;
      return createMemoryBackend({}, { ...context, onFlushed: (events) => held.push(events) });
    },
  });
  t.after(() => server.close());
  const sub = bus.subscribe('p.x');
  const early = bus.subscribe('p.x');
  await server.engineRunner.engine?.register(source, [{ type: ['x'] }]);
  assert.ok(await nothingMore(early));
  await server.backend.flush();
  assert.ok(held.length > 0);
  for (const events of held.splice(0)) flushed?.(events);
  assert.equal((await takeEvents(sub, 1))[0]?.topic, 'p.x');
});

it('registers bus messages as events, type from the subject, skipping its own bridged events', async (t) => {
  const bus = createInProcessBus();
  t.after(() => bus.close());
  const module = { info: busSourceModule(bus, { subjects: 'feed.>', prefix: 'feed' }), config: {} };
  const server = await startServer({
    modules: [module],
    busBridge: { bus, prefix: 'feed.own', persisted: false },
  });
  t.after(() => server.close());
  bus.publish('feed.sensor.a~2Eb', {
    payload: { data_type: 'json', data: 1 },
    source_timestamp: { s: 10, us: 5 },
  });
  bus.publish('feed.raw', { payload: [1, 2] });
  bus.publish('feed.bad', { payload: { data_type: 'binary', binary_type: 'x', data: 'zz' } });
  bus.publish('feed.bin', { payload: { data_type: 'binary', binary_type: 'x', data: '00ff' } });
  const query = async () =>
    (await server.backend.query({ type: 'latest', eventTypes: [['*']] })).events;
  await waitFor(async () => (await query()).some((e) => e.type[0] === 'bin'));
  const byType = new Map((await query()).map((e) => [e.type.join('/'), e]));
  assert.deepEqual(byType.get('sensor/a.b')?.payload, { type: 'json', data: 1 });
  assert.deepEqual(byType.get('sensor/a.b')?.sourceTimestamp, { s: 10, us: 5 });
  assert.deepEqual(byType.get('raw')?.payload, { type: 'json', data: [1, 2] });
  assert.deepEqual(byType.get('bin')?.payload, {
    type: 'binary',
    binaryType: 'x',
    data: new Uint8Array([0, 255]),
  });
  assert.equal(byType.has('bad'), false);
  assert.equal(
    [...byType.keys()].some((k) => k.startsWith('own')),
    false,
  );
});

it('a failing bridge publish is logged and never fails the registration', async (t) => {
  const strict = createInProcessBus({ strict: true });
  await strict.close();
  const server = await startServer({ busBridge: { bus: strict, prefix: 'p', persisted: false } });
  t.after(() => server.close());
  const result = await server.engineRunner.engine?.register(source, [{ type: ['x'] }]);
  assert.equal(result?.length, 1);
});
