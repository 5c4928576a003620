/**
 * Several eventum servers on one PostgreSQL schema (docs/operations/scale-out.md): register
 * throughput with 1, 2 and 3 `eventum server` processes (server ids 1…n) sharing the schema,
 * one client per server registering batches of 1,000 at once, all acknowledged; events/s of all
 * servers together. Each server also follows the others' events (LISTEN/NOTIFY), as it would in
 * production. On a 2-core machine the servers, PostgreSQL and the clients share the cores.
 * Run: `npm run bench -- scale-out`.
 */
import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';

import { measureRounds, skippedResults } from '../harness.js';
import type { Scenario, ScenarioContext } from '../scenario.js';
import { benchSchema, startServer } from '../server-process.js';
import type { ServerProcess } from '../server-process.js';
import { pgUrl } from '../targets/pg-url.js';
import { workloadEvents } from '../workload.js';

const BATCH = 1000;

export const scaleOutScenario: Scenario = {
  name: 'scale-out',
  async run(context) {
    const sizes = context.quick ? { events: 2_000, rounds: 1 } : { events: 60_000, rounds: 3 };
    for (const servers of [1, 2, 3]) await measure(servers, sizes, context);
  },
};

async function measure(
  count: number,
  sizes: { events: number; rounds: number },
  context: ScenarioContext,
): Promise<void> {
  const target = `eventum-postgres-${count}`;
  const params = { servers: count, batch: BATCH, events: sizes.events };
  const schema = benchSchema();
  const servers: ServerProcess[] = [];
  const clients: EventerClient[] = [];
  try {
    for (let id = 1; id <= count; id++) {
      const backend = { type: 'postgres', url: pgUrl(), schema };
      servers.push(await startServer(backend, { extra: { server_id: id } }));
    }
    for (const server of servers) {
      clients.push(await connect({ port: server.port, clientName: 'bench-scale-out' }));
    }
  } catch (error) {
    skippedResults(['scale-out-register'], target, params, error).forEach(context.report);
    await stopAll(servers, clients);
    return;
  }
  try {
    let offset = 0;
    // One list of batches per client, built before the round is timed.
    const build = () =>
      clients.map(() => {
        const batches = [];
        for (let done = 0; done < sizes.events / count; done += BATCH, offset += BATCH)
          batches.push(workloadEvents(offset, BATCH));
        return batches;
      });
    let pending = build();
    const round = async () => {
      await Promise.all(
        clients.map(async (client, c) => {
          for (const events of pending[c]!) {
            if ((await client.register(events, { withResponse: true })) === null)
              throw new Error(`${target}: register failed`);
          }
        }),
      );
      pending = build();
    };
    const result = await measureRounds(round, { ops: sizes.events, rounds: sizes.rounds });
    context.report({
      scenario: 'scale-out-register',
      target,
      params,
      unit: 'events/s',
      ...result,
    });
  } finally {
    await stopAll(servers, clients);
  }
}

async function stopAll(servers: ServerProcess[], clients: EventerClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
}
