/**
 * `latest-under-load`: a reader's latency while a writer registers at full speed. The writer
 * (`load-writer.ts`, its own process) registers batches of 1,000 events, each acknowledged
 * before the next; meanwhile this process asks for the newest event of each of 100 types
 * (another type tree than the writer's) 2,000 times in sequence (quick: 50) after 50 warm-up
 * queries, for at most 20 s. The result is the reader's p50/p99/max, with the writer's rate meanwhile (`extra`)
 * and the server's CPU and peak memory. A target without a latest query (raw lmdb) has no row.
 * Run: `npm run bench -- contention`.
 */
import { fileURLToPath } from 'node:url';

import { startHelper } from '../child-process.js';
import { latencyResult, sampleLatencies, skippedResults } from '../harness.js';
import { measureServer } from '../proc-stats.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { ownedTargets } from '../targets/index.js';
import type { AttachSpec, FanoutSpec } from '../targets/index.js';
import { latestEvents } from '../workload.js';

const BATCH = 1000;
const TYPES = 100;
const WARMUP = 50;
/** A reader slower than this under load (PostgreSQL's `DISTINCT ON` over a table growing by
 * tens of thousands of rows a second) stops early; the row says how many queries it ran. */
const MAX_SECONDS = 20;
const writerMain = fileURLToPath(new URL('../load-writer.js', import.meta.url));

/** eventum, JetStream and PostgreSQL (without the fan-out's NOTIFY trigger, which would slow
 * its writer down). */
const targets = ownedTargets({ postgresNotify: false });

export const contentionScenario: Scenario = {
  name: 'contention',
  async run(context) {
    const requests = context.quick ? 50 : 2_000;
    for (const spec of targets) await measureContended(spec, requests, context);
  },
};

async function measureContended(spec: FanoutSpec, requests: number, context: ScenarioContext) {
  const params = { types: TYPES, requests, writerBatch: BATCH };
  let opened;
  try {
    opened = await spec.open();
  } catch (error) {
    skippedResults(['latest-under-load'], spec.name, params, error).forEach(context.report);
    return;
  }
  const { target, attach } = opened;
  try {
    const latest = async () => {
      const answer = await target.latest!('latest');
      if (answer !== TYPES)
        throw new Error(`${target.name}: latest returned ${answer} of ${TYPES}`);
    };
    await target.registerBatch(latestEvents('latest', TYPES));
    const writer = await startWriter(attach);
    let query;
    try {
      await sampleLatencies(WARMUP, latest);
      query = await measureServer(await target.serverPids(), () =>
        sampleWithin(requests, MAX_SECONDS, latest),
      );
    } finally {
      writer.stop();
    }
    const written = await writer.result;
    context.report({
      scenario: 'latest-under-load',
      target: target.name,
      params,
      unit: 'queries/s',
      ...latencyResult(query.result),
      ...(query.usage && { server: query.usage }),
      extra: {
        queries: query.result.length,
        writerEventsPerSec: Math.round(written.events / written.seconds),
      },
    });
  } finally {
    await target.close();
  }
}

/** Like `sampleLatencies`, but stops after `maxSeconds`; ascending durations in ms. */
async function sampleWithin(
  count: number,
  maxSeconds: number,
  op: () => Promise<unknown>,
): Promise<number[]> {
  const end = process.hrtime.bigint() + BigInt(maxSeconds * 1e9);
  const samples: number[] = [];
  while (samples.length < count && process.hrtime.bigint() < end)
    samples.push(...(await sampleLatencies(1, op)));
  return samples.sort((a, b) => a - b);
}

/** Starts the writer process and waits until it is attached; `stop` ends it, `result` is what
 * it wrote. */
async function startWriter(attach: AttachSpec): Promise<{
  stop(): void;
  result: Promise<{ events: number; seconds: number }>;
}> {
  const helper = await startHelper<{ events: number; seconds: number }>(
    writerMain,
    { attach, batch: BATCH },
    { stdin: 'pipe' },
  );
  return { stop: () => helper.child.stdin?.end(), result: helper.result };
}
