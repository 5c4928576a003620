/**
 * `memory`: what an eventum server holds in memory with 10 million stored events (quick:
 * 20,000). The events are written straight into an LMDB file through the backend, with the
 * server's default configuration (the fastest way to fill it), then `eventum server` opens that
 * file; its resident memory is read once started, and again after a latest query over its 100
 * event types and a read of the newest 1,000 events. The file's size on disk is reported too.
 * Run: `npm run bench -- memory`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLmdbBackend } from '@eventum/backend-lmdb';
import { connect } from '@eventum/client';

import { rssMiB } from '../proc-stats.js';
import type { Scenario } from '../scenario.js';
import { startServer } from '../server-process.js';
import { storedEvent, workloadEvents } from '../workload.js';

const SESSION = 1000;

export const memoryScenario: Scenario = {
  name: 'memory',
  async run({ quick, report }) {
    const stored = quick ? 20_000 : 10_000_000;
    const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-memory-'));
    const dbPath = join(dir, 'events.db');
    try {
      const fillSeconds = await fill(dbPath, stored);
      const server = await startServer({ type: 'lmdb', db_path: dbPath });
      const pid = server.child.pid ?? 0;
      try {
        const opened = await rssMiB(pid);
        const client = await connect({ port: server.port, clientName: 'bench' });
        const latest = await client.query({ type: 'latest', eventTypes: [['plant', '*']] });
        const newest = await client.query({
          type: 'timeseries',
          eventTypes: [['plant', '*']],
          maxResults: 1000,
        });
        await client.close();
        if (newest.events.length !== 1000)
          throw new Error(`memory: read ${newest.events.length} of the newest 1,000 events`);
        report({
          scenario: 'memory',
          target: 'eventum-lmdb',
          params: { storedEvents: stored },
          opsPerSec: 0,
          spread: { min: 0, max: 0 },
          rounds: 1,
          extra: {
            storedEvents: stored,
            rssMiBOpened: Math.round(opened),
            rssMiBAfterQueries: Math.round(await rssMiB(pid)),
            diskMiB: Math.round((await stat(dbPath)).size / 2 ** 20),
            latestTypes: latest.events.length,
            fillEventsPerSec: Math.round(stored / fillSeconds),
          },
        });
      } finally {
        await server.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Writes `count` workload events into a new LMDB file in sessions of 1,000; returns seconds. */
async function fill(dbPath: string, count: number): Promise<number> {
  const backend = await createLmdbBackend({ db_path: dbPath });
  const start = process.hrtime.bigint();
  try {
    for (let first = 0; first < count; first += SESSION) {
      const session = first / SESSION + 1;
      const timestamp = { s: 1_700_000_000 + session, us: 0 };
      const events = workloadEvents(first, SESSION).map((e, i) =>
        storedEvent(e, { server: 1, session, instance: i + 1 }, timestamp),
      );
      await backend.register(events);
      if (session % 1000 === 0) process.stderr.write(`bench: memory: ${first + SESSION} stored\n`);
    }
    await backend.flush();
  } finally {
    await backend.close();
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}
