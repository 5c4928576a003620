/**
 * The writer of the `latest-under-load` scenario, in its own process so its client work never
 * shares an event loop with the measured reader: `node load-writer.js '<json>'` with
 * `{attach, batch}`. It prints `ready` once attached, then registers batches of `batch` events
 * (each acknowledged before the next, as fast as the target takes them) until its stdin closes,
 * and prints one JSON line `{events, seconds}`.
 */
import { attachTarget } from './targets/index.js';
import type { AttachSpec } from './targets/index.js';
import { workloadEvents } from './workload.js';

interface WriterArgs {
  readonly attach: AttachSpec;
  readonly batch: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WriterArgs;
const target = await attachTarget(args.attach);
let stopped = false;
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => (stopped = true));
process.stdout.write('ready\n');
const start = process.hrtime.bigint();
let events = 0;
// Numbered far above what the scenario's other writes use, so the events never collide.
for (let offset = 1e9; !stopped; offset += args.batch) {
  await target.registerBatch(workloadEvents(offset, args.batch));
  events += args.batch;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(`${JSON.stringify({ events, seconds })}\n`);
await target.close();
