/**
 * The subscriber side of the fan-out scenario, in its own process so delivery is measured
 * across processes: `node fanout-subscriber.js '<json>'` with `{attach, prefix, subscribers,
 * warmup, expected, timeoutMs}`. It opens `subscribers` subscriptions, prints `ready`, prints `warm`
 * once each subscription received the `warmup` events before the measured ones, records for
 * every delivered event from `seq` `warmup` on the delay since its publication (the publisher's
 * monotonic clock reading in the payload), and prints one JSON line `{received, latencyMs}` once each
 * subscription saw `expected` events or the timeout passed.
 */
import { latencyPercentiles } from './harness.js';
import { attachTarget } from './targets/index.js';
import type { AttachSpec } from './targets/index.js';
import { monotonicMicros } from './workload.js';

interface SubscriberArgs {
  readonly attach: AttachSpec;
  readonly prefix: string;
  readonly subscribers: number;
  /** Events before this sequence number warm the path up and are not measured. */
  readonly warmup: number;
  /** Events each subscription should receive, warm-up included. */
  readonly expected: number;
  readonly timeoutMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as SubscriberArgs;
const target = await attachTarget(args.attach);
const delaysUs: number[] = [];
const counts = new Array<number>(args.subscribers).fill(0);
let warm = false;
let done!: () => void;
const finished = new Promise<void>((resolve) => (done = resolve));
const stops = [];
for (let s = 0; s < args.subscribers; s++) {
  stops.push(
    await target.subscribe!(args.prefix, (data) => {
      const { seq, sentAtUs } = data as { seq: number; sentAtUs: number };
      if (seq >= args.warmup) delaysUs.push(monotonicMicros() - sentAtUs);
      counts[s] = (counts[s] ?? 0) + 1;
      if (!warm && counts.every((n) => n >= args.warmup)) {
        warm = true;
        process.stdout.write('warm\n');
      }
      if (counts.every((n) => n >= args.expected)) done();
    }),
  );
}
process.stdout.write('ready\n');
const timer = setTimeout(done, args.timeoutMs);
await finished;
clearTimeout(timer);
const latencies = delaysUs.map((us) => us / 1000).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ received: delaysUs.length, latencyMs: latencyPercentiles(latencies) })}\n`,
);
await Promise.all(stops.map((stop) => stop()));
await target.close();
