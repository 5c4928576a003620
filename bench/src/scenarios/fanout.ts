/**
 * `fanout`: notification latency from publication to delivery at 10 subscribers, at a fixed
 * offered rate (1,000 events/s for 10 s; quick: 500/s for 0.4 s). The publisher (this process)
 * publishes on a timer without waiting for acknowledgements, the subscribers run in another
 * process (`fanout-subscriber.ts`); the result is the p50/p99/max of every delivery's delay,
 * with the publishing target's server CPU and peak memory.
 * Run: `npm run bench -- fanout`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { skippedResults } from '../harness.js';
import type { LatencyMs } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { fanoutTargets } from '../targets/index.js';
import type { AttachSpec, FanoutSpec } from '../targets/index.js';
import type { Target } from '../targets/target.js';
import { fanoutEvent } from '../workload.js';

const SUBSCRIBERS = 10;
const WARMUP = 100;
const subscriberMain = fileURLToPath(new URL('../fanout-subscriber.js', import.meta.url));

interface Offer {
  readonly rate: number;
  readonly events: number;
}

export const fanoutScenario: Scenario = {
  name: 'fanout',
  async run(context) {
    const offer: Offer = context.quick
      ? { rate: 500, events: 200 }
      : { rate: 1000, events: 10_000 };
    for (const spec of fanoutTargets) await measureFanout(spec, offer, context);
  },
};

async function measureFanout(spec: FanoutSpec, offer: Offer, context: ScenarioContext) {
  const params = { subscribers: SUBSCRIBERS, rate: offer.rate, events: offer.events };
  let opened;
  try {
    opened = await spec.open();
  } catch (error) {
    skippedResults(['fanout'], spec.name, params, error).forEach(context.report);
    return;
  }
  const { target, attach } = opened;
  try {
    const subscribers = await startSubscribers(attach, WARMUP + offer.events, offer);
    await publishAtRate(target, 0, WARMUP, offer.rate);
    const published = await measureServer(await target.serverPids(), () =>
      publishAtRate(target, WARMUP, offer.events, offer.rate),
    );
    const { received, latencyMs } = await subscribers.measured;
    const expected = offer.events * SUBSCRIBERS;
    if (received !== expected)
      process.stderr.write(`bench: ${spec.name} fanout delivered ${received} of ${expected}\n`);
    context.report({
      scenario: 'fanout',
      target: target.name,
      params,
      unit: 'deliveries/s',
      opsPerSec: received / published.result,
      spread: { min: received / published.result, max: received / published.result },
      rounds: 1,
      latencyMs,
      ...(published.usage && { server: published.usage }),
      extra: { delivered: received, expected },
    });
  } finally {
    await target.close();
  }
}

/** Starts the subscriber process and waits until its subscriptions are live; `measured`
 * resolves later to what it measured. */
async function startSubscribers(
  attach: AttachSpec,
  expected: number,
  offer: Offer,
): Promise<{ measured: Promise<{ received: number; latencyMs: LatencyMs }> }> {
  const timeoutMs = (offer.events / offer.rate) * 1000 + 30_000;
  const args = {
    attach,
    prefix: 'fanout',
    subscribers: SUBSCRIBERS,
    warmup: WARMUP,
    expected,
    timeoutMs,
  };
  const child = spawn(process.execPath, [subscriberMain, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, 'exit');
  const first = await lines.next();
  if (first.done === true || first.value !== 'ready')
    throw new Error(`fan-out subscribers did not start (exit ${String((await exited)[0])})`);
  const measured = (async () => {
    const result = await lines.next();
    await exited;
    if (result.done === true) throw new Error('fan-out subscribers exited without a result');
    return JSON.parse(result.value) as { received: number; latencyMs: LatencyMs };
  })();
  // Awaited only after publishing; until then a failure must not count as unhandled.
  measured.catch(() => {});
  // Wrapped: an async function returning the bare promise would wait for it.
  return { measured };
}

/** Publishes events `first..first+count-1` at `rate`/s, each acknowledged in the background;
 * resolves to the seconds it took once every one was acknowledged. */
async function publishAtRate(target: Target, first: number, count: number, rate: number) {
  const start = process.hrtime.bigint();
  const acks: Promise<void>[] = [];
  let sent = 0;
  while (sent < count) {
    const due = Math.min(
      count,
      Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * rate) + 1,
    );
    for (; sent < due; sent++) acks.push(target.registerOne(fanoutEvent('fanout', first + sent)));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(acks);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
