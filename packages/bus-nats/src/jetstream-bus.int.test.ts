import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

import type { BusOptions } from '@eventum/core';
import {
  busContract,
  busTestRoot,
  nothingMore,
  requireService,
  takeEvents,
  testNatsUrl,
  uniqueRoot,
} from '@eventum/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { createJetStreamBus } from './jetstream-bus.js';
import { jetStreamBus } from './plugin.js';
import type { JetStreamConsumerOptions } from './options.js';

let skip: string | false = false;
await requireService('NATS', testNatsUrl, (reason) => (skip = reason));
const streamName = `EVENTUM_TEST_${busTestRoot}`;
const stream = { name: streamName, subjects: [`${busTestRoot}.>`], storage: 'memory' as const };
const open = (options: BusOptions & { consumer?: JetStreamConsumerOptions } = {}) =>
  createJetStreamBus({ ...options, servers: testNatsUrl, stream });

describe('JetStream transport', { skip }, () => {
  after(async () => {
    const nc = await connect({ servers: testNatsUrl });
    await (await jetstreamManager(nc)).streams.delete(streamName).catch(() => false);
    await nc.close();
  });

  busContract('jetstream', open);

  it('de-duplicates publishes with the same id, and replays from all, a sequence or a time', async (t) => {
    const bus = await open();
    t.after(() => bus.close());
    const root = uniqueRoot();
    const id = 'd'.repeat(32);
    bus.publish(`${root}.a`, { n: 1 }, { id });
    bus.publish(`${root}.a`, { n: 1 }, { id });
    bus.publish(`${root}.a`, { n: 2 });
    await bus.flush();
    const all = bus.subscribe(`${root}.>`, { from: 'all' });
    const events = await takeEvents(all, 2);
    assert.deepEqual(
      events.map((e) => e.payload['n']),
      [1, 2],
    );
    assert.ok(await nothingMore(all));
    const second = events[1]?.delivery?.seq ?? 0;
    const fromSeq = bus.subscribe(`${root}.>`, { from: { seq: second } });
    assert.deepEqual(
      (await takeEvents(fromSeq, 1)).map((e) => e.payload['n']),
      [2],
    );
    const fromPast = bus.subscribe(`${root}.>`, { from: { time: new Date(Date.now() - 60_000) } });
    assert.deepEqual(
      (await takeEvents(fromPast, 2)).map((e) => e.payload['n']),
      [1, 2],
    );
    const fromTime = bus.subscribe(`${root}.>`, { from: { time: new Date(Date.now() + 60_000) } });
    await fromTime.ready;
    assert.ok(await nothingMore(fromTime));
  });

  it('a queue subscription survives a subscriber restart: what was published meanwhile arrives, what was acked does not', async (t) => {
    const bus = await open();
    t.after(() => bus.close());
    const root = uniqueRoot();
    const queue = `w${root.replaceAll('.', '_')}`;
    const first = bus.subscribe(`${root}.job`, { queue });
    await first.ready;
    for (let i = 0; i < 3; i++) bus.publish(`${root}.job`, { i });
    assert.deepEqual(
      (await takeEvents(first, 3)).map((e) => e.payload['i']),
      [0, 1, 2],
    );
    await first.close();
    for (let i = 3; i < 5; i++) bus.publish(`${root}.job`, { i });
    await bus.flush();
    const again = bus.subscribe(`${root}.job`, { queue });
    assert.deepEqual(
      (await takeEvents(again, 2)).map((e) => e.payload['i']),
      [3, 4],
    );
    await again.close();
  });

  it('redelivers an event whose consumer process died without acknowledging it', async (t) => {
    const root = uniqueRoot();
    const queue = `r${root.replaceAll('.', '_')}`;
    const worker = fileURLToPath(new URL('./testing/durable-worker.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [worker, testNatsUrl, streamName, `${busTestRoot}.>`, `${root}.job`, queue, '500'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'ready');
    const bus = await open({ consumer: { ackWaitMs: 500 } });
    t.after(() => bus.close());
    bus.publish(`${root}.job`, { work: 1 }, { id: 'e'.repeat(32) });
    await bus.flush();
    const seen = JSON.parse(String((await lines.next()).value)) as { id: string; count: number };
    assert.deepEqual(seen, { id: 'e'.repeat(32), count: 1 });
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    const heir = bus.subscribe(`${root}.job`, { queue });
    const [again] = await takeEvents(heir, 1);
    assert.equal(again?.id, 'e'.repeat(32));
    assert.equal(again?.delivery?.count, 2);
    await heir.close();
  });

  it('the jetstream configuration type maps its snake_case fields and adds missing subjects', async (t) => {
    const extra = `${busTestRoot}x.>`;
    const bus = await jetStreamBus.create(
      {
        servers: testNatsUrl,
        stream: { name: streamName, subjects: [...stream.subjects, extra], storage: 'memory' },
        consumer: { ack_wait_ms: 2000, max_deliver: 3 },
      },
      {},
    );
    t.after(() => bus.close());
    assert.equal(bus.transport, 'jetstream');
    const root = uniqueRoot();
    const queue = `m${root.replaceAll('.', '_')}`;
    const sub = bus.subscribe(`${root}.x`, { queue });
    await sub.ready;
    const nc = await connect({ servers: testNatsUrl });
    t.after(() => nc.close());
    const jsm = await jetstreamManager(nc);
    const info = await jsm.consumers.info(streamName, queue);
    assert.deepEqual([info.config.ack_wait, info.config.max_deliver], [2_000_000_000, 3]);
    assert.ok((await jsm.streams.info(streamName)).config.subjects.includes(extra));
    await sub.close();
  });

  it('creates durable consumers with explicit ack, max_deliver and back-off from the options', async (t) => {
    const bus = await open({
      consumer: { ackWaitMs: 5000, maxDeliver: 4, backoffMs: [100, 1000], maxAckPending: 10 },
    });
    t.after(() => bus.close());
    const root = uniqueRoot();
    const queue = `c${root.replaceAll('.', '_')}`;
    const sub = bus.subscribe(`${root}.x`, { queue });
    await sub.ready;
    const nc = await connect({ servers: testNatsUrl });
    t.after(() => nc.close());
    const info = await (await jetstreamManager(nc)).consumers.info(streamName, queue);
    assert.deepEqual(
      [
        info.config.ack_policy,
        info.config.max_deliver,
        info.config.backoff,
        info.config.max_ack_pending,
        info.config.filter_subject,
      ],
      ['explicit', 4, [100_000_000, 1_000_000_000], 10, `${root}.x`],
    );
    assert.throws(() => bus.subscribe(`${root}.x`, { queue: 'a.b' }), {
      code: 'ERR_INVALID_ARGUMENT',
    });
    await sub.close();
  });
});
