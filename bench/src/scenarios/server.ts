/**
 * The event server end to end, over TCP on loopback, with the server in its own process:
 * - `server/register-batch`: 100,000 events registered in batches of 1,000 with response
 *   (~100-byte JSON payloads); ops = events/s.
 * - `server/register-single`: one event per request with response; ops = requests/s, with
 *   round-trip latency percentiles.
 * - `server/query-latest`: latest query returning 100 event types; latency percentiles.
 * - `server/timeseries-paging`: paging through every registered event, 1,000 per page,
 *   with `queryPages` (narrowed time bound + lastEventId); ops = events/s.
 * Each runs on every backend in `serverBackends` (LMDB, textlog, memory) in the same run.
 * Run: `npm run bench -- server` (builds nothing itself: run `npm run build` first).
 */
import { connect, queryPages } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { RegisterEvent } from '@eventum/core';

import { measureRounds, percentile } from '../harness.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { startServer } from '../server-process.js';
import { sampleEvents } from './codec.js';

/** Backends the server scenarios run on; the first is the default storage. */
export const serverBackends: readonly Record<string, unknown>[] = [
  { type: 'lmdb' },
  { type: 'textlog' },
  { type: 'memory' },
];

function registerBatch(offset: number, size: number): RegisterEvent[] {
  return sampleEvents(size).map((e, i) => ({
    type: e.type,
    sourceTimestamp: { s: 1_700_000_000, us: (offset + i) % 1_000_000 },
    payload: e.payload,
  }));
}

async function registerThroughput(
  client: EventerClient,
  context: ScenarioContext,
  params: Record<string, unknown>,
) {
  const total = context.quick ? 5_000 : 100_000;
  const batches = Array.from({ length: total / 1000 }, (_, b) => registerBatch(b * 1000, 1000));
  const result = await measureRounds(
    async () => {
      for (const batch of batches) await client.register(batch, { withResponse: true });
    },
    { ops: total, rounds: context.quick ? 1 : 3, warmupRounds: 1 },
  );
  context.report({
    scenario: 'server/register-batch',
    params: { ...params, events: total, batch: 1000 },
    ...result,
    rounds: context.quick ? 1 : 3,
  });
}

async function latencies(count: number, op: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await op();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

function latencyResult(samples: number[]) {
  const total = samples.reduce((a, b) => a + b, 0) / 1000;
  const opsPerSec = samples.length / total;
  return {
    opsPerSec,
    spread: { min: opsPerSec, max: opsPerSec },
    rounds: 1,
    latencyMs: {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: samples[samples.length - 1] ?? 0,
    },
  };
}

async function singleAndQueries(
  client: EventerClient,
  context: ScenarioContext,
  params: Record<string, unknown>,
) {
  const count = context.quick ? 200 : 5_000;
  const one = registerBatch(0, 1);
  await latencies(100, () => client.register(one, { withResponse: true }));
  const single = await latencies(count, () => client.register(one, { withResponse: true }));
  context.report({ scenario: 'server/register-single', params, ...latencyResult(single) });
  const types = Array.from({ length: 100 }, (_, i) => ({ type: ['latest', String(i)] }));
  await client.register(types, { withResponse: true });
  const query = { type: 'latest' as const, eventTypes: [['latest', '?']] };
  await latencies(100, () => client.query(query));
  const latest = await latencies(count, () => client.query(query));
  context.report({
    scenario: 'server/query-latest',
    params: { ...params, types: 100 },
    ...latencyResult(latest),
  });
}

async function paging(
  client: EventerClient,
  context: ScenarioContext,
  params: Record<string, unknown>,
) {
  let events = 0;
  const result = await measureRounds(
    async () => {
      events = 0;
      const pages = queryPages(client, {
        type: 'timeseries',
        eventTypes: [['plant', '*']],
        maxResults: 1000,
      });
      for await (const page of pages) events += page.length;
    },
    { ops: 1, rounds: context.quick ? 1 : 3, warmupRounds: 0 },
  );
  context.report({
    scenario: 'server/timeseries-paging',
    params: { ...params, events, page: 1000 },
    opsPerSec: result.opsPerSec * events,
    spread: { min: result.spread.min * events, max: result.spread.max * events },
    rounds: context.quick ? 1 : 3,
  });
}

export const serverScenario: Scenario = {
  name: 'server',
  async run(context) {
    for (const backend of serverBackends) {
      const params = { backend: backend['type'] };
      let server;
      try {
        server = await startServer(backend);
      } catch (error) {
        context.report({
          scenario: 'server/*',
          params: { ...params, skipped: (error as Error).message.split('\n')[0] },
          opsPerSec: 0,
          spread: { min: 0, max: 0 },
          rounds: 0,
        });
        continue;
      }
      const client = await connect({ port: server.port, clientName: 'bench' });
      try {
        await registerThroughput(client, context, params);
        await singleAndQueries(client, context, params);
        await paging(client, context, params);
        context.report({
          scenario: 'server/rss',
          params,
          opsPerSec: 0,
          spread: { min: 0, max: 0 },
          rounds: 1,
          extra: { rssMiB: await server.rssMiB() },
        });
      } finally {
        await client.close();
        await server.stop();
      }
    }
  },
};
