/**
 * `notify`: what typed notifications cost over the raw bus, on the same bus, in the same run.
 * - `eventum-notify`: `Publisher.publish` (enum names translated, fields checked, the kind's JSON
 *   Schema validated) and a typed subscription (the receipt check: kind, origin, schema again).
 * - `eventum-bus`: `bus.publish` of the same JSON payload on the same subject with the same
 *   envelope type, read as plain bus events.
 * Each round publishes 100,000 process-lifecycle notifications (quick: 2,000) in bursts of 500
 * until the subscriber has them all; the two take turns, 1 warm-up + 5 rounds each. Transports:
 * the in-process bus (where the typing is all the work there is: the worst case) and NATS core.
 * `extra.pairedRatio` of the notify row is the median of its rounds' rates over the raw rounds'.
 * Run: `npm run bench -- notify`.
 */
import { createInProcessBus } from '@eventum/core';
import type { Bus, BusPayload } from '@eventum/core';
import { createNatsBus } from '@eventum/bus-nats';
import { createNotifier } from '@eventum/notify';

import { skippedResults } from '../harness.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { interleave, summarise } from './bus.js';

const natsUrl = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const BURST = 500;

export const notifyScenario: Scenario = {
  name: 'notify',
  async run(context) {
    await compare('in-process', () => Promise.resolve(createInProcessBus()), context);
    await compare('nats', () => createNatsBus({ servers: natsUrl }), context);
  },
};

async function compare(transport: string, open: () => Promise<Bus>, context: ScenarioContext) {
  const scenario = `bus/notify/${transport}`;
  const count = context.quick ? 2000 : 100_000;
  const params = { transport, messages: count, burst: BURST, interleaved: true };
  let bus: Bus;
  try {
    bus = await open();
  } catch (error) {
    for (const target of ['eventum-notify', 'eventum-bus']) {
      skippedResults([scenario], target, params, error).forEach((r) => context.report(r));
    }
    return;
  }
  try {
    const sides = await openSides(bus, count);
    const rates = await interleave(context.quick ? 1 : 5, count, sides.rounds);
    // Each round of one side ran right after the other's: their ratio, round by round, is less
    // swayed by other load on the machine than the ratio of the medians.
    const paired = (rates[0] ?? []).map((rate, i) => rate / (rates[1]?.[i] ?? rate));
    const pairedRatio = summarise(paired).opsPerSec;
    ['eventum-notify', 'eventum-bus'].forEach((target, i) => {
      const extra = i === 0 ? { invalid: sides.invalid(), pairedRatio } : {};
      const rate = summarise(rates[i] ?? []);
      context.report({ scenario, target, params, unit: 'msg/s', ...rate, extra });
    });
  } finally {
    await bus.close();
  }
}

/** The two sides' rounds on `bus`, each on its own subjects (so neither subscription buffers
 * the other's messages): typed notifications, then the same JSON published raw. */
async function openSides(bus: Bus, count: number) {
  const root = `bench.notify.${process.pid}`;
  const notifier = createNotifier({ bus, system: 'bench', subjectPrefix: `${root}.typed` });
  const publisher = notifier.publisher('process-lifecycle', { origin: 'bench.worker-1' });
  const typed = notifier.subscribe({ kind: 'process-lifecycle' });
  const raw = bus.subscribe(`${root}.raw.>`);
  await Promise.all([typed.ready, raw.ready]);
  // Both sides build one object literal per message, with the same keys in the same order.
  const typedRound = () =>
    round(count, typed, (i) =>
      publisher.publish({
        resourceId: `r${i}`,
        description: 'serving',
        name: 'worker',
        state: 'ACTIVE',
        status: 'IN_PROGRESS',
      }),
    );
  const rawRound = () => round(count, raw, rawPublish(bus, `${root}.raw.1052.bench.worker-1`));
  return { rounds: [typedRound, rawRound], invalid: () => notifier.stats.invalid };
}

/** Publishes message `i` raw on `subject`: the payload a typed publish of the same input sends. */
function rawPublish(bus: Bus, subject: string): (i: number) => void {
  return (i) => {
    const payload: BusPayload = {
      resourceId: `r${i}`,
      description: 'serving',
      name: 'worker',
      state: 3,
      status: 1,
      origin: 'bench.worker-1',
      datetime: Date.now() / 1000,
    };
    bus.publish(subject, payload, { type: 'process-lifecycle' });
  };
}

/** Publishes `count` messages in bursts of {@link BURST} while `subscription` reads them all. */
async function round(
  count: number,
  subscription: AsyncIterable<unknown>,
  publish: (i: number) => void,
): Promise<void> {
  const iterator = subscription[Symbol.asyncIterator]();
  const read = (async () => {
    for (let received = 0; received < count; received++) await iterator.next();
  })();
  for (let sent = 0; sent < count;) {
    for (const end = Math.min(count, sent + BURST); sent < end; sent++) publish(sent);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await read;
}
