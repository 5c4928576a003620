/**
 * The LMDB backend without a network, next to `lmdb-raw`:
 * - `lmdb-backend/register`: 100,000 events (~150-byte values, batches of 1,000 as one engine
 *   session each) registered and flushed (durable) with the default configuration (a TIMESTAMP
 *   and a SOURCE_TIMESTAMP partition, latest for every type: three records per event), and with
 *   a single TIMESTAMP partition; ops = events/s.
 * - `lmdb-backend/timeseries-read`: paging through every stored event ascending, 4,096 per page,
 *   the way clients page (lastEventId + narrowed bound), each page encoded as the server's
 *   QueryRes answer; ops = events/s. `…-read-typed` asks for type `plant/*` (which every event
 *   has), so each entry's type is checked; `…-read-decoded` reads every event of every page,
 *   as an in-process user would (the server never does: it sends the stored bytes).
 * - `lmdb-backend/latest-query`: one exact type, and all 100 types; latency percentiles.
 * Run: `npm run bench -- lmdb-backend`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLmdbBackend } from '@eventum/backend-lmdb';
import type { LmdbBackendConfig } from '@eventum/backend-lmdb';
import { EventerMsgType, decodeEventHeader, encodeEventerMsg, resultEncoding } from '@eventum/core';
import type { Backend, Event, EventType, QueryResult, QueryTimeseriesParams } from '@eventum/core';

import { latencyResult, measureRounds, sampleLatencies } from '../harness.js';
import type { BenchResult } from '../harness.js';
import type { Scenario } from '../scenario.js';
import { sampleEvents } from './codec.js';

const BATCH = 1000;

/** `count` events in sessions of 1,000 from session `first` on, one timestamp per session. */
function sessions(first: number, count: number): Event[][] {
  const template = sampleEvents(BATCH);
  const out: Event[][] = [];
  for (let b = 0; b < count / BATCH; b++) {
    const session = first + b;
    const timestamp = { s: 1_700_000_000 + session, us: 0 };
    out.push(
      template.map((e, i) => ({ ...e, id: { server: 1, session, instance: i + 1 }, timestamp })),
    );
  }
  return out;
}

async function registerRate(
  config: LmdbBackendConfig,
  count: number,
  rounds: number,
  label: string,
  report: (r: BenchResult) => void,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-lmdb-'));
  const backend = await createLmdbBackend({ ...config, db_path: join(dir, 'events.db') });
  try {
    let next = 1;
    const result = await measureRounds(
      async () => {
        for (const batch of sessions(next, count)) await backend.register(batch);
        next += count / BATCH;
        await backend.flush();
      },
      { ops: count, rounds },
    );
    report({
      scenario: 'lmdb-backend/register',
      params: { events: count, batch: BATCH, partitions: label },
      ...result,
      rounds,
    });
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Pages through every event. `answer` does with a page what is measured: encode it as the
 * server's QueryRes body, or read every event object as an in-process user would.
 */
async function pageAll(
  backend: Backend,
  eventTypes: EventType[] | null,
  answer: (page: QueryResult) => void,
): Promise<number> {
  let params: QueryTimeseriesParams = { type: 'timeseries', order: 'ascending', eventTypes };
  let total = 0;
  for (;;) {
    const page = await backend.query(params);
    answer(page);
    const encoded = resultEncoding(page);
    const count = encoded?.ends.length ?? page.events.length;
    total += count;
    // The next page starts after the last event, whose id and time its header holds.
    const last =
      encoded === undefined
        ? page.events[count - 1]
        : count === 0
          ? undefined
          : decodeEventHeader(encoded.bytes.subarray(encoded.ends[count - 2] ?? 0));
    if (!page.moreFollows || last === undefined) return total;
    params = { ...params, lastEventId: last.id, tFrom: last.timestamp };
  }
}

function encodeAnswer(page: QueryResult): void {
  if (encodeEventerMsg({ type: EventerMsgType.QueryRes, data: page }).length === 0)
    throw new Error('empty answer');
}

function readEvents(page: QueryResult): void {
  for (const event of page.events) if (event.type.length === 0) throw new Error('no type');
}

async function readAndLatest(
  count: number,
  rounds: number,
  report: (r: BenchResult) => void,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-lmdb-'));
  const backend = await createLmdbBackend({ db_path: join(dir, 'events.db') });
  try {
    for (const batch of sessions(1, count)) await backend.register(batch);
    await backend.flush();
    // Every stored event matches `plant/*`: the typed query reads the same pages, checking types.
    const plant = [['plant', '*']];
    for (const [scenario, eventTypes, answer] of [
      ['lmdb-backend/timeseries-read', null, encodeAnswer],
      ['lmdb-backend/timeseries-read-typed', plant, encodeAnswer],
      ['lmdb-backend/timeseries-read-decoded', null, readEvents],
    ] as const) {
      const read = await measureRounds(
        async () => {
          const total = await pageAll(
            backend,
            eventTypes === null ? null : [...eventTypes],
            answer,
          );
          if (total !== count) throw new Error('paging lost events');
        },
        { ops: count, rounds },
      );
      const params = { events: count, page: 4096, types: eventTypes === null ? 'all' : 'plant/*' };
      report({ scenario, params, ...read, rounds });
    }
    for (const [name, eventTypes] of [
      ['exact', [['plant', 'p1', 'line', 's1']]],
      ['all-100', null],
    ] as const) {
      await sampleLatencies(1000, () => backend.query({ type: 'latest', eventTypes }));
      const samples = await sampleLatencies(10_000, () =>
        backend.query({ type: 'latest', eventTypes }),
      );
      report({
        scenario: 'lmdb-backend/latest-query',
        params: { types: name },
        unit: 'queries/s',
        ...latencyResult(samples),
      });
    }
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const lmdbBackendScenario: Scenario = {
  name: 'lmdb-backend',
  async run({ quick, report }) {
    const count = quick ? 5_000 : 100_000;
    const rounds = quick ? 1 : 5;
    await registerRate({}, count, rounds, 'timestamp+sourceTimestamp', report);
    await registerRate(
      { timeseries: [{ order_by: 'TIMESTAMP', subscriptions: [['*']] }] },
      count,
      rounds,
      'timestamp',
      report,
    );
    await readAndLatest(count, rounds, report);
  },
};
