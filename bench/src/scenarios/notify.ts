/**
 * `notify`: what typed notifications cost over the raw bus, on the same bus, in the same run.
 * - `eventum-notify`: `Publisher.publish` (enum names translated, fields checked, the kind's JSON
 *   Schema validated) and a typed subscription (the receipt check: kind, origin and the schema
 *   again, on every transport).
 * - `eventum-bus`: `bus.publish` of the same JSON payload on the same subject with the same
 *   envelope type, read as plain bus events.
 * Each round publishes 100,000 process-lifecycle notifications (quick: 2,000) in bursts of 500
 * until the subscriber has them all; the two take turns, 1 warm-up + 5 rounds each, each after a
 * full garbage collection. Transports:
 * the in-process bus (where the typing is all the work there is: the worst case) and NATS core.
 * `extra.pairedRatio` of the notify row is the median of its rounds' rates over the raw rounds'.
 * `extra.cpuPairedRatio` is the same from this process's CPU time per message (user + system),
 * which a busy machine sways far less than the clock: on the in-process bus all the work of
 * both sides is this process's; on NATS, nats-server's share is not in it.
 * Run: `npm run bench -- notify`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { createInProcessBus } from '@eventum/core';
import type { Bus, BusPayload } from '@eventum/core';
import { createNatsBus } from '@eventum/bus-nats';
import { createNotifier } from '@eventum/notify';

import { skippedResults } from '../harness.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { interleave, summarise } from './bus.js';

const natsUrl = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const BURST = 500;
const ROUNDS = 5;

// A full collection before each round (off the clock): otherwise a round pays for the garbage
// the other side's round left, and on the in-process bus, where a round takes about 0.1 s, that
// swung the ratio from 0.8 to 1.4 between runs.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

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
    const cpu = new CpuPerMessage(count);
    const rounds = sides.rounds.map(cpu.timed);
    const rates = await interleave(context.quick ? 1 : ROUNDS, count, rounds, collectGarbage);
    // Each round of one side ran right after the other's: their ratio, round by round, is less
    // swayed by other load on the machine than the ratio of the medians.
    const paired = (rates[0] ?? []).map((rate, i) => rate / (rates[1]?.[i] ?? rate));
    const pairedRatio = summarise(paired).opsPerSec;
    const { cpuPairedRatio, cpuUsPerMessage } = cpu.summary();
    ['eventum-notify', 'eventum-bus'].forEach((target, i) => {
      const extra =
        i === 0 ? { invalid: sides.invalid(), pairedRatio, cpuPairedRatio, cpuUsPerMessage } : {};
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

/** This process's CPU time per message of each side's rounds (the warm-up turn left out). */
class CpuPerMessage {
  readonly #messages: number;
  readonly #us: number[][] = [[], []];

  constructor(messages: number) {
    this.#messages = messages;
  }

  /** `round` of side `i`, its CPU time recorded. */
  readonly timed = (round: () => Promise<void>, i: number) => async () => {
    const start = process.cpuUsage();
    await round();
    const used = process.cpuUsage(start);
    this.#us[i]?.push((used.user + used.system) / this.#messages);
  };

  /** Round by round, the raw side's CPU per message over the typed side's (a rate ratio), and
   * the median µs per message of each side. */
  summary() {
    const [typed, raw] = this.#us.map((us) => us.slice(1));
    const ratios = (typed ?? []).map((us, i) => (raw?.[i] ?? us) / us);
    const median = (values: number[] = []) => summarise(values).opsPerSec;
    return {
      cpuPairedRatio: median(ratios),
      cpuUsPerMessage: { typed: median(typed), raw: median(raw) },
    };
  }
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
