/**
 * `bus`: eventum's NATS bus next to raw nats.js on the same nats-server, in the same run.
 * - `bus/publish-deliver`: delay from publish to delivery at a fixed rate (5,000 messages/s for
 *   4 s; quick: 1,000/s for 0.5 s), publisher and subscriber in this process on two connections.
 * - `bus/throughput`: 100,000 messages (quick: 2,000) published in bursts of 500, until the
 *   subscriber has them all; 1 warm-up + 3 rounds.
 * - `bus/bridge-register`: `eventum server` (memory backend) registering batches of 1,000 events
 *   with the NATS bridge off and on (every event published on `eventum.1.…`; a raw subscriber
 *   counts them); 1 warm-up + 3 rounds of 50,000 (quick: 2,000).
 * Run: `npm run bench -- bus`.
 */
import { connect } from '@eventum/client';

import { measureRounds, skippedResults } from '../harness.js';
import type { LatencyMs } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { startServer } from '../server-process.js';
import type { ServerProcess } from '../server-process.js';
import { monotonicMicros, workloadEvents } from '../workload.js';
import { eventumBusPeer, rawNatsPeer } from '../bus-peers.js';
import type { BusPeer } from '../bus-peers.js';
import { connect as natsConnect } from '@nats-io/transport-node';

const natsUrl = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const filler = { quality: 'good', unit: 'degC', source: 'line sensor 4', tags: ['a', 'b'] };

export const busScenario: Scenario = {
  name: 'bus',
  async run(context) {
    for (const open of [eventumBusPeer, rawNatsPeer]) await measurePeer(open, context);
    await measureBridge(false, context);
    await measureBridge(true, context);
  },
};

async function measurePeer(open: (servers: string) => Promise<BusPeer>, context: ScenarioContext) {
  let peer: BusPeer;
  try {
    peer = await open(natsUrl);
  } catch (error) {
    const name = open === eventumBusPeer ? 'eventum-bus-nats' : 'nats-raw';
    const scenarios = ['bus/publish-deliver', 'bus/throughput'];
    skippedResults(scenarios, name, {}, error).forEach(context.report);
    return;
  }
  try {
    await reportLatency(peer, context);
    await reportThroughput(peer, context);
  } finally {
    await peer.close();
  }
}

async function reportLatency(peer: BusPeer, context: ScenarioContext) {
  const { perSec, count } = context.quick
    ? { perSec: 1000, count: 500 }
    : { perSec: 5000, count: 20_000 };
  const latencyMs = await latencyRun(peer, perSec, count);
  context.report({
    scenario: 'bus/publish-deliver',
    target: peer.name,
    params: { rate: perSec, messages: count },
    unit: 'msg/s',
    opsPerSec: perSec,
    spread: { min: perSec, max: perSec },
    rounds: 1,
    latencyMs,
  });
}

async function reportThroughput(peer: BusPeer, context: ScenarioContext) {
  const count = context.quick ? 2000 : 100_000;
  const rounds = context.quick ? 1 : 3;
  const measured = await measureRounds(() => throughputRound(peer, count), { ops: count, rounds });
  context.report({
    scenario: 'bus/throughput',
    target: peer.name,
    params: { messages: count, burst: 500 },
    unit: 'msg/s',
    ...measured,
  });
}

let subjectCounter = 0;
function benchSubject(): string {
  subjectCounter += 1;
  return `bench.bus.${process.pid}.${subjectCounter}`;
}

/** Publishes `count` messages at `perSec`, each carrying its send time; returns delay percentiles. */
async function latencyRun(peer: BusPeer, perSec: number, count: number): Promise<LatencyMs> {
  const subject = benchSubject();
  const delays: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await peer.subscribe(subject, (payload) => {
    delays.push((monotonicMicros() - (payload['sentAtUs'] as number)) / 1000);
    if (delays.length === count) done();
  });
  const start = process.hrtime.bigint();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(
      count,
      Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * perSec) + 1,
    );
    for (; sent < due; sent++)
      peer.publish(subject, { seq: sent, sentAtUs: monotonicMicros(), ...filler });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await all;
  delays.sort((a, b) => a - b);
  const at = (q: number): number =>
    delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: delays[delays.length - 1] ?? 0 };
}

async function throughputRound(peer: BusPeer, count: number): Promise<void> {
  const subject = benchSubject();
  let received = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await peer.subscribe(subject, () => {
    if (++received === count) done();
  });
  for (let sent = 0; sent < count;) {
    for (const end = Math.min(count, sent + 500); sent < end; sent++)
      peer.publish(subject, { seq: sent, ...filler });
    await new Promise((resolve) => setImmediate(resolve));
  }
  await all;
}

async function measureBridge(bridge: boolean, context: ScenarioContext) {
  const target = bridge ? 'eventum-memory+bus-nats' : 'eventum-memory';
  const batches = context.quick ? 2 : 50;
  const params = { batch: 1000, events: batches * 1000, bridge };
  const prefix = `bench.bridge.${process.pid}`;
  const bus = { type: 'nats', servers: natsUrl, publish: { prefix } };
  let server: ServerProcess;
  try {
    server = await startServer({ type: 'memory' }, bridge ? { bus } : {});
  } catch (error) {
    skippedResults(['bus/bridge-register'], target, params, error).forEach(context.report);
    return;
  }
  const counter = await countMessages(`${prefix}.>`);
  try {
    const rounds = context.quick ? 1 : 3;
    const measured = await registerRounds(server, batches, rounds);
    context.report({
      scenario: 'bus/bridge-register',
      target,
      params,
      unit: 'events/s',
      ...measured.result,
      ...(measured.usage && { server: measured.usage }),
      extra: { publishedOnBus: await counter.stop() },
    });
  } finally {
    await server.stop();
  }
}

/** Counts messages on `subject` with raw nats.js until `stop()`, which returns the count. */
async function countMessages(subject: string): Promise<{ stop(): Promise<number> }> {
  const nc = await natsConnect({ servers: natsUrl });
  let count = 0;
  const subscription = nc.subscribe(subject, { callback: () => void count++ });
  await nc.flush();
  return {
    async stop() {
      await nc.flush();
      subscription.unsubscribe();
      await nc.drain();
      return count;
    },
  };
}

/** Registers `batches` batches of 1,000 events per round through one client, measured. */
async function registerRounds(server: ServerProcess, batches: number, rounds: number) {
  const client = await connect({ port: server.port, clientName: 'bench' });
  try {
    let offset = 0;
    const round = async () => {
      for (let b = 0; b < batches; b++, offset += 1000) {
        const events = workloadEvents(offset, 1000);
        if ((await client.register(events, { withResponse: true })) === null)
          throw new Error('register failed');
      }
    };
    const pids = server.child.pid === undefined ? [] : [server.child.pid];
    return await measureServer(pids, () => measureRounds(round, { ops: batches * 1000, rounds }));
  } finally {
    await client.close();
  }
}
