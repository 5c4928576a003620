/**
 * eventum next to its peers, each target doing the same work with the same events
 * (`workload.ts`), one target at a time, its server in its own process:
 * - `register-batch`: events in batches of 1,000, each batch acknowledged before the next;
 *   events/s. `register-batch-pipelined` (measured last): the same with the target's
 *   `batchesInFlight` batches in flight, where its client pipelines (eventum over TCP,
 *   JetStream, lmdb-raw).
 * - `register-single`: one acknowledged event per request, in sequence, after 5,000 unmeasured
 *   ones (see `Sizes.warmup`); latency percentiles.
 * - `latest`: the newest event of each of 100 types in one request; latency percentiles.
 * - `timeseries-read`: every stored event, oldest first, 1,000 per page; events/s.
 * - `disk-per-event`: the bytes the store then takes on disk over the events it holds (about
 *   400,000, ~100-byte payloads).
 * Each result carries the CPU time and peak memory of the target's server process.
 * Run: `npm run bench -- compare`.
 */
import { latencyResult, measureRounds, sampleLatencies, skippedResults } from '../harness.js';
import type { BenchResult } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { comparisonTargets } from '../targets/index.js';
import type { TargetSpec } from '../targets/index.js';
import { registerWindowed } from '../targets/target.js';
import type { Target } from '../targets/target.js';
import { latestEvents, workloadEvents } from '../workload.js';

const BATCH = 1000;
const PAGE = 1000;

interface Sizes {
  /** Events per register-batch round. */
  readonly events: number;
  readonly rounds: number;
  /** Requests in the latency scenarios. */
  readonly requests: number;
  /**
   * Unmeasured single registrations before `register-single`'s. It follows 400,000 events in
   * batches: the first 2,000 single requests after them cost the eventum server twice the CPU
   * of later ones (165–180 against 60–80 µs) and made a p99 of 3.8–4.7 ms against 0.2–0.7 ms,
   * the second 2,000 still 1.2–1.9 ms; a pause did not help, so it is the cold single-request
   * path (JIT tiers, the batch rounds' garbage), not the backend's flushing.
   */
  readonly warmup: number;
}

export const compareScenario: Scenario = {
  name: 'compare',
  async run(context) {
    const sizes: Sizes = context.quick
      ? { events: 2_000, rounds: 1, requests: 50, warmup: 100 }
      : { events: 100_000, rounds: 3, requests: 2_000, warmup: 5_000 };
    for (const spec of comparisonTargets) await measureTarget(spec, sizes, context);
  },
};

const SCENARIOS = [
  'register-batch',
  'register-batch-pipelined',
  'register-single',
  'latest',
  'timeseries-read',
  'disk-per-event',
];

async function measureTarget(spec: TargetSpec, sizes: Sizes, context: ScenarioContext) {
  let target: Target;
  try {
    target = await spec.open();
  } catch (error) {
    skippedResults(SCENARIOS, spec.name, {}, error).forEach(context.report);
    return;
  }
  try {
    const pids = await target.serverPids();
    const measured = <T>(work: () => Promise<T>) => measureServer(pids, work);
    let offset = 0;
    const batches = () => {
      const round: ReturnType<typeof workloadEvents>[] = [];
      for (let done = 0; done < sizes.events; done += BATCH, offset += BATCH)
        round.push(workloadEvents(offset, BATCH));
      return round;
    };

    // Batches are built before each round is timed, so the clock sees only the target's work.
    // Warm-up rounds run before the server's usage is sampled.
    let pending = batches();
    let stored = 0;
    let latestStored = 0;
    const registerRound = (inFlight: number) => async () => {
      await registerWindowed(target, pending, inFlight);
      stored += sizes.events;
      pending = batches();
    };
    const measureBatches = async (scenario: string, inFlight: number) => {
      const round = registerRound(inFlight);
      await round();
      const batch = await measured(() =>
        measureRounds(round, { ops: sizes.events, rounds: sizes.rounds, warmupRounds: 0 }),
      );
      context.report({
        scenario,
        target: target.name,
        params: { events: sizes.events, batch: BATCH, inFlight },
        unit: 'events/s',
        ...batch.result,
        ...(batch.usage && { server: batch.usage }),
      });
    };
    await measureBatches('register-batch', 1);

    const one = workloadEvents(offset, sizes.requests + sizes.warmup);
    stored += one.length;
    let i = 0;
    await sampleLatencies(sizes.warmup, () => target.registerOne(one[i++]!));
    const single = await measured(() =>
      sampleLatencies(sizes.requests, () => target.registerOne(one[i++]!)),
    );
    context.report({
      scenario: 'register-single',
      target: target.name,
      params: { requests: sizes.requests },
      unit: 'requests/s',
      ...latencyResult(single.result),
      ...(single.usage && { server: single.usage }),
    });

    if (target.latest !== undefined) {
      const latest = (prefix: string) => target.latest?.(prefix) ?? Promise.resolve(0);
      await target.registerBatch(latestEvents('latest', 100));
      latestStored = 100;
      const answer = await latest('latest');
      if (answer !== 100) throw new Error(`${target.name}: latest returned ${answer} of 100 types`);
      await sampleLatencies(50, () => latest('latest'));
      const query = await measured(() => sampleLatencies(sizes.requests, () => latest('latest')));
      context.report({
        scenario: 'latest',
        target: target.name,
        params: { types: 100 },
        unit: 'queries/s',
        ...latencyResult(query.result),
        ...(query.usage && { server: query.usage }),
      });
    }

    let read = 0;
    const readRound = async () => {
      read = await target.readAll('plant', PAGE);
    };
    await readRound();
    const reads = await measured(() =>
      measureRounds(readRound, { ops: 1, rounds: sizes.rounds, warmupRounds: 0 }),
    );
    if (read !== stored) throw new Error(`${target.name}: read ${read} of ${stored} events`);
    context.report({
      scenario: 'timeseries-read',
      target: target.name,
      params: { events: read, page: PAGE },
      unit: 'events/s',
      opsPerSec: reads.result.opsPerSec * read,
      spread: { min: reads.result.spread.min * read, max: reads.result.spread.max * read },
      rounds: reads.result.rounds,
      ...(reads.usage && { server: reads.usage }),
    });
    const bytes = await target.storedBytes?.();
    if (bytes !== undefined) context.report(diskResult(target.name, bytes, stored + latestStored));
    // Last, so that the rows above read and weigh the same events as before the row existed.
    if (target.batchesInFlight !== undefined)
      await measureBatches('register-batch-pipelined', target.batchesInFlight);
  } finally {
    await target.close();
  }
}

/** The `disk-per-event` record: `bytes` on disk for `events` stored (`extra.bytesPerEvent`). */
function diskResult(target: string, bytes: number, events: number): BenchResult {
  return {
    scenario: 'disk-per-event',
    target,
    params: { events },
    unit: 'bytes/event',
    opsPerSec: 0,
    spread: { min: 0, max: 0 },
    rounds: 1,
    extra: { storedEvents: events, bytes, bytesPerEvent: Math.round(bytes / events) },
  };
}
