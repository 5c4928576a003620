/**
 * `fanout`: notification latency from publication to delivery at 10 subscribers, at a fixed
 * offered rate (1,000 events/s for 10 s; quick: 500/s for 0.4 s). The publisher (this process)
 * publishes on a timer without waiting for acknowledgements, the subscribers run in another
 * process (`fanout-subscriber.ts`); the result is the p50/p99/max of every delivery's delay,
 * with the publishing target's server CPU and peak memory. Measured events follow a warm-up at
 * the same rate (3,000 events; quick: 100) once the subscribers received all of it.
 * `fanout-50k`: the same at 50,000 events/s for 2 s (quick: 5,000/s for 0.2 s). One request
 * per event cannot go that fast on any target (neither eventum's single registrations nor
 * JetStream's acknowledged publishes keep up), so each 1 ms tick publishes the events due in it
 * as one batch (`registerBatch`), the way a high-rate producer does; warm-up 20,000 events.
 * Run: `npm run bench -- fanout`.
 */
import { fileURLToPath } from 'node:url';

import { startHelper } from '../child-process.js';
import { skippedResults } from '../harness.js';
import type { LatencyMs } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { fanoutTargets } from '../targets/index.js';
import type { AttachSpec, FanoutSpec } from '../targets/index.js';
import type { Target } from '../targets/target.js';
import { fanoutEvent } from '../workload.js';

const SUBSCRIBERS = 10;
const subscriberMain = fileURLToPath(new URL('../fanout-subscriber.js', import.meta.url));

interface Offer {
  readonly scenario: 'fanout' | 'fanout-50k';
  readonly rate: number;
  readonly events: number;
  /** Publish each tick's events as one batch instead of one request per event. */
  readonly batched: boolean;
  /**
   * Events published at the same rate before the measured ones; the measured ones start once
   * the subscribers received all of these. Right after start, eventum's pipeline falls behind
   * for 2–3 s (p99 of 389–624 ms in each of the first 1,000-event windows at 1,000/s on the
   * loaded machine, 3–7 ms after; JetStream's first windows 8–104 ms), and a backlog left by the
   * warm-up would be measured as the first events' delay.
   */
  readonly warmup: number;
}

/** Targets whose high-rate row would only measure the subscriber side: the WebSocket row's
 * subscribers parse JSON text, at 500,000 deliveries/s more than one process does. */
const HIGH_RATE_SKIPPED = new Set(['eventum-lmdb-ws']);

export const fanoutScenario: Scenario = {
  name: 'fanout',
  async run(context) {
    const offers: Offer[] = context.quick
      ? [
          { scenario: 'fanout', rate: 500, events: 200, batched: false, warmup: 100 },
          { scenario: 'fanout-50k', rate: 5_000, events: 1_000, batched: true, warmup: 1_000 },
        ]
      : [
          { scenario: 'fanout', rate: 1000, events: 10_000, batched: false, warmup: 3_000 },
          { scenario: 'fanout-50k', rate: 50_000, events: 100_000, batched: true, warmup: 20_000 },
        ];
    for (const offer of offers) {
      for (const spec of fanoutTargets) {
        if (offer.batched && HIGH_RATE_SKIPPED.has(spec.name)) continue;
        await measureFanout(spec, offer, context);
      }
    }
  },
};

async function measureFanout(spec: FanoutSpec, offer: Offer, context: ScenarioContext) {
  const params = {
    subscribers: SUBSCRIBERS,
    rate: offer.rate,
    events: offer.events,
    ...(offer.batched && { publish: 'batch per 1 ms tick' }),
  };
  let opened;
  try {
    opened = await spec.open();
  } catch (error) {
    skippedResults([offer.scenario], spec.name, params, error).forEach(context.report);
    return;
  }
  const { target, attach } = opened;
  try {
    const { warmup } = offer;
    const subscribers = await startSubscribers(attach, warmup, warmup + offer.events, offer);
    await publishAtRate(target, 0, warmup, offer);
    await subscribers.warm;
    const published = await measureServer(await target.serverPids(), () =>
      publishAtRate(target, warmup, offer.events, offer),
    );
    const { received, latencyMs } = await subscribers.measured;
    const expected = offer.events * SUBSCRIBERS;
    if (received !== expected)
      process.stderr.write(
        `bench: ${spec.name} ${offer.scenario} delivered ${received} of ${expected}\n`,
      );
    context.report({
      scenario: offer.scenario,
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
  warmup: number,
  expected: number,
  offer: Offer,
): Promise<{
  warm: Promise<void>;
  measured: Promise<{ received: number; latencyMs: LatencyMs }>;
}> {
  const timeoutMs = ((offer.warmup + offer.events) / offer.rate) * 1000 + 30_000;
  const args = {
    attach,
    prefix: 'fanout',
    subscribers: SUBSCRIBERS,
    warmup,
    expected,
    timeoutMs,
  };
  const helper = await startHelper<{ received: number; latencyMs: LatencyMs }>(
    subscriberMain,
    args,
  );
  // Wrapped: an async function returning the bare promise would wait for it.
  return { warm: helper.marker('warm'), measured: helper.result };
}

/** Publishes events `first..first+count-1` at the offered rate, each acknowledged in the
 * background (one request per event, or one batch per tick); resolves to the seconds it took
 * once every one was acknowledged. */
async function publishAtRate(target: Target, first: number, count: number, offer: Offer) {
  const start = process.hrtime.bigint();
  const acks: Promise<void>[] = [];
  let sent = 0;
  while (sent < count) {
    const due = Math.min(
      count,
      Math.floor((Number(process.hrtime.bigint() - start) / 1e9) * offer.rate) + 1,
    );
    if (offer.batched && due > sent) {
      const batch = [];
      for (; sent < due; sent++) batch.push(fanoutEvent('fanout', first + sent));
      acks.push(target.registerBatch(batch));
    }
    for (; sent < due; sent++) acks.push(target.registerOne(fanoutEvent('fanout', first + sent)));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(acks);
  return Number(process.hrtime.bigint() - start) / 1e9;
}
