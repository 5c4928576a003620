/**
 * `bus`: eventum's NATS bus next to raw nats.js on the same nats-server, in the same run.
 * - `bus/publish-deliver`: delay from publish to delivery at a fixed rate (5,000 messages/s,
 *   rounds of 4,000 with the peers taking turns, 5 each: the median p50 and p99 of the rounds;
 *   quick: one round of 500 at 1,000/s), publisher and subscriber in this process on two
 *   connections.
 * - `bus/throughput`: 100,000 messages (quick: 2,000) published in bursts of 500, until the
 *   subscriber has them all; eventum and raw nats.js take turns, 1 warm-up + 5 rounds each.
 * - `bus/jetstream/publish-deliver` and `bus/jetstream/throughput`: the same with eventum's
 *   JetStream bus next to raw `@nats-io/jetstream` (acknowledged publishes, an ordered consumer)
 *   on one memory stream; throughput rounds of 20,000 messages (quick: 2,000).
 * - `bus/bridge-register`: two `eventum server`s (memory backend), one with the NATS bridge
 *   (every event published on `bench.bridge.<pid>.…`, counted by a raw subscriber), registering
 *   batches of 1,000 events in turns; 1 warm-up + 5 rounds of 50,000 (quick: 2,000) each.
 * Taking turns gives both sides of a comparison the same share of a busy machine.
 * Run: `npm run bench -- bus`.
 */
import { connect } from '@eventum/client';

import { skippedResults } from '../harness.js';
import type { LatencyMs } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { startServer } from '../server-process.js';
import type { ServerProcess } from '../server-process.js';
import { monotonicMicros, workloadEvents } from '../workload.js';
import {
  eventumBusPeer,
  eventumJetStreamPeer,
  rawBytesPeer,
  rawEnvelopePeer,
  rawJetStreamPeer,
  rawNatsPeer,
} from '../bus-peers.js';
import type { BusPeer } from '../bus-peers.js';
import { connect as natsConnect } from '@nats-io/transport-node';

const natsUrl = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const filler = { quality: 'good', unit: 'degC', source: 'line sensor 4', tags: ['a', 'b'] };

type PeerKinds = readonly (readonly [string, (servers: string) => Promise<BusPeer>])[];

const natsPeers: PeerKinds = [
  ['eventum-bus-nats', eventumBusPeer],
  ['nats-raw', rawNatsPeer],
  ['nats-raw-bytes', rawBytesPeer],
  ['nats-raw-envelope', rawEnvelopePeer],
];

const jetStreamPeers: PeerKinds = [
  ['eventum-bus-jetstream', eventumJetStreamPeer],
  ['jetstream-raw', rawJetStreamPeer],
];

export const busScenario: Scenario = {
  name: 'bus',
  async run(context) {
    await comparePeers(natsPeers, 'bus', context.quick ? 2000 : 100_000, context);
    await comparePeers(jetStreamPeers, 'bus/jetstream', context.quick ? 2000 : 20_000, context);
    await measureBridge(context);
  },
};

/** Delay of each peer in turn, then throughput with the peers taking turns. */
async function comparePeers(
  kinds: PeerKinds,
  scenario: string,
  messages: number,
  context: ScenarioContext,
) {
  const peers: BusPeer[] = [];
  for (const [name, open] of kinds) {
    try {
      peers.push(await open(natsUrl));
    } catch (error) {
      const names = [`${scenario}/publish-deliver`, `${scenario}/throughput`];
      skippedResults(names, name, {}, error).forEach(context.report);
    }
  }
  try {
    await reportLatency(peers, scenario, context);
    await reportThroughput(peers, scenario, messages, context);
  } finally {
    await Promise.all(peers.map((peer) => peer.close()));
  }
}

/** Median and range of per-round rates. */
/** Median and range of a target's round rates. */
export function summarise(rates: number[]) {
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return {
    opsPerSec: median,
    spread: { min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 },
    rounds: rates.length,
  };
}

/**
 * Runs each target's round in turn, `rounds` times after one warm-up turn, so every target sees
 * the same load on a shared machine; returns each target's rates (ops per second). `before`
 * runs ahead of each round, off the clock.
 */
export async function interleave(
  rounds: number,
  ops: number,
  targets: readonly (() => Promise<void>)[],
  before: () => void = () => undefined,
): Promise<number[][]> {
  const rates = targets.map((): number[] => []);
  for (let r = -1; r < rounds; r++) {
    for (const [i, round] of targets.entries()) {
      before();
      const start = process.hrtime.bigint();
      await round();
      if (r >= 0) rates[i]?.push(ops / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  return rates;
}

/** Delay rounds of 4,000 messages, the peers taking turns, 5 rounds each (quick: one of 500):
 * the median of the rounds' p50 and p99, the largest max. */
async function reportLatency(
  peers: readonly BusPeer[],
  scenario: string,
  context: ScenarioContext,
) {
  const { perSec, count, rounds } = context.quick
    ? { perSec: 1000, count: 500, rounds: 1 }
    : { perSec: 5000, count: 4000, rounds: 5 };
  const runs = peers.map((): LatencyMs[] => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, peer] of peers.entries()) runs[i]?.push(await latencyRun(peer, perSec, count));
  }
  for (const [i, peer] of peers.entries()) {
    const of = (key: keyof LatencyMs) => summarise((runs[i] ?? []).map((l) => l[key]));
    context.report({
      scenario: `${scenario}/publish-deliver`,
      target: peer.name,
      params: { rate: perSec, messages: count, rounds, interleaved: true },
      unit: 'msg/s',
      opsPerSec: perSec,
      spread: { min: perSec, max: perSec },
      rounds,
      latencyMs: { p50: of('p50').opsPerSec, p99: of('p99').opsPerSec, max: of('max').spread.max },
    });
  }
}

async function reportThroughput(
  peers: readonly BusPeer[],
  scenario: string,
  count: number,
  context: ScenarioContext,
) {
  const rates = await interleave(
    context.quick ? 1 : 5,
    count,
    peers.map((peer) => () => throughputRound(peer, count)),
  );
  for (const [i, peer] of peers.entries()) {
    context.report({
      scenario: `${scenario}/throughput`,
      target: peer.name,
      params: { messages: count, burst: 500, interleaved: true },
      unit: 'msg/s',
      ...summarise(rates[i] ?? []),
    });
  }
}

let subjectCounter = 0;
function benchSubject(peer: BusPeer): string {
  subjectCounter += 1;
  return `${peer.root ?? `bench.bus.${process.pid}`}.${subjectCounter}`;
}

/** Publishes `count` messages at `perSec`, each carrying its send time; returns delay percentiles. */
async function latencyRun(peer: BusPeer, perSec: number, count: number): Promise<LatencyMs> {
  const subject = benchSubject(peer);
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
  const subject = benchSubject(peer);
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

/** Two servers at once, one with the NATS bridge, registering in interleaved rounds. */
async function measureBridge(context: ScenarioContext) {
  const batches = context.quick ? 2 : 50;
  const prefix = `bench.bridge.${process.pid}`;
  const targets = [
    { name: 'eventum-memory', extra: {} },
    {
      name: 'eventum-memory+bus-nats',
      extra: { bus: { type: 'nats', servers: natsUrl, publish: { prefix } } },
    },
  ];
  const servers: ServerProcess[] = [];
  try {
    for (const target of targets)
      servers.push(await startServer({ type: 'memory' }, { extra: target.extra }));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    for (const { name } of targets) {
      const params = { batch: 1000, events: batches * 1000, bridge: name !== 'eventum-memory' };
      skippedResults(['bus/bridge-register'], name, params, error).forEach(context.report);
    }
    return;
  }
  try {
    await reportBridge(
      servers,
      targets.map((t) => t.name),
      batches,
      prefix,
      context,
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function reportBridge(
  servers: readonly ServerProcess[],
  names: readonly string[],
  batches: number,
  prefix: string,
  context: ScenarioContext,
) {
  const counter = await countMessages(`${prefix}.>`);
  const registrars = await Promise.all(servers.map((server) => registrar(server, batches)));
  try {
    const rates = await interleave(
      context.quick ? 1 : 5,
      batches * 1000,
      registrars.map((r) => () => r.round()),
    );
    const publishedOnBus = await counter.stop();
    for (const [i, name] of names.entries()) {
      const usage = registrars[i]?.usage();
      context.report({
        scenario: 'bus/bridge-register',
        target: name,
        params: { batch: 1000, events: batches * 1000, bridge: i === 1, interleaved: true },
        unit: 'events/s',
        ...summarise(rates[i] ?? []),
        ...(usage && { server: usage }),
        ...(i === 1 ? { extra: { publishedOnBus } } : {}),
      });
    }
  } finally {
    await Promise.all(registrars.map((r) => r.close()));
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

/** A client registering `batches` batches of 1,000 events per `round`, and the server's
 * CPU time and peak memory summed over the rounds. */
async function registrar(server: ServerProcess, batches: number) {
  const client = await connect({ port: server.port, clientName: 'bench' });
  const pids = server.child.pid === undefined ? [] : [server.child.pid];
  const used = { cpuSeconds: 0, seconds: 0, peakRssMiB: 0 };
  let offset = 0;
  const register = async () => {
    for (let b = 0; b < batches; b++, offset += 1000) {
      if ((await client.register(workloadEvents(offset, 1000), { withResponse: true })) === null)
        throw new Error('register failed');
    }
  };
  return {
    async round() {
      const start = process.hrtime.bigint();
      const { usage } = await measureServer(pids, register);
      used.seconds += Number(process.hrtime.bigint() - start) / 1e9;
      used.cpuSeconds += usage?.cpuSeconds ?? 0;
      used.peakRssMiB = Math.max(used.peakRssMiB, usage?.peakRssMiB ?? 0);
    },
    usage: () =>
      used.seconds === 0
        ? undefined
        : {
            cpuSeconds: used.cpuSeconds,
            cpuPercent: (used.cpuSeconds / used.seconds) * 100,
            peakRssMiB: used.peakRssMiB,
          },
    close: () => client.close(),
  };
}
