/**
 * Lock-step against pipelined batches on one eventum server, taking turns:
 * `node bench/dist/register-pair.js [backend] [inFlight] [pairs]` (not part of `npm run bench`;
 * defaults: lmdb, 4, 4). Each pair runs one round of 100 batches of 1,000 events awaited one by
 * one and one with `inFlight` batches in flight on the same connection (the order swapped every
 * pair, batches built before each round), after one warm-up round of each, and prints events/s
 * with the CPU the server (both threads, user + system) and this client spent per event. On a
 * shared machine rates swing between rounds; CPU per event moves less. docs/performance.md
 * quotes it ("Pipelined batches").
 */
import { measureServer } from './proc-stats.js';
import { startEventumTarget } from './targets/eventum.js';
import { registerWindowed } from './targets/target.js';
import type { EventumBackend } from './targets/eventum.js';
import { workloadEvents } from './workload.js';

const backend = (process.argv[2] ?? 'lmdb') as EventumBackend;
const inFlight = Number(process.argv[3] ?? 4);
const pairs = Number(process.argv[4] ?? 4);
const BATCH = 1000;
const BATCHES = 100;

const target = await startEventumTarget(backend);
let offset = 0;

/** One round with `window` batches in flight; prints its row. */
async function round(window: number, label: string): Promise<void> {
  const batches = Array.from({ length: BATCHES }, () => workloadEvents((offset += BATCH), BATCH));
  const events = BATCH * BATCHES;
  const client = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { usage } = await measureServer(await target.serverPids(), () =>
    registerWindowed(target, batches, window),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { user, system } = process.cpuUsage(client);
  const serverUs = ((usage?.cpuSeconds ?? 0) * 1e6) / events;
  const clientUs = (user + system) / events;
  console.log(
    `| ${label} | ${window} | ${(events / seconds).toFixed(0)} | ${serverUs.toFixed(1)} | ${clientUs.toFixed(1)} |`,
  );
}

try {
  await round(1, 'warm-up');
  await round(inFlight, 'warm-up');
  console.log('| round | in flight | events/s | server µs/event | client µs/event |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (let p = 0; p < pairs; p++) {
    for (const window of p % 2 === 0 ? [1, inFlight] : [inFlight, 1])
      await round(window, `${p + 1}`);
  }
} finally {
  await target.close();
}
