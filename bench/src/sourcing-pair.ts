/**
 * eventum-postgres and Emmett appending with one writer, taking turns on the same server:
 * `node bench/dist/sourcing-pair.js [synced|deferred] [appends] [rounds]` (not part of
 * `npm run bench`; defaults: synced, 1,000, 6; the durability is eventum's, Emmett always
 * syncs). Each round appends `appends` single events to a new stream of each target, the order
 * of the two swapped every round, and prints events/s, p50/p90/p99/max in ms and the time spent
 * in appends slower than 5 ms; at the end the median of eventum's per-round rates over Emmett's.
 * The `sourcing` scenario runs its targets one after another, minutes apart, so on a shared
 * disk a stall can land on one of them only; taking turns puts both under the same disk.
 * docs/sourcing.md quotes it ("Figures").
 */
import type { SourcingDurability } from '@eventum/sourcing';

import { deposited, emmettTarget, eventumTarget, scratchDatabase } from './targets/sourcing.js';
import type { SourcingTarget } from './targets/sourcing.js';

const PG_URL = process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const durability = (process.argv[2] ?? 'synced') as SourcingDurability;
const appends = Number(process.argv[3] ?? 1000);
const rounds = Number(process.argv[4] ?? 6);
/** An append slower than this is counted in the tail column. */
const SLOW_MS = 5;

/** One round of `appends` closed-loop appends; returns events/s after printing the row. */
async function round(t: SourcingTarget, stream: string, label: string): Promise<number> {
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  for (let v = 0; v < appends; v++) {
    const began = process.hrtime.bigint();
    await t.append(stream, [deposited(v)], v);
    samples.push(Number(process.hrtime.bigint() - began) / 1e6);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.floor(samples.length * q)]!.toFixed(2);
  const slow = samples.filter((s) => s > SLOW_MS).reduce((a, b) => a + b, 0);
  const rate = appends / (ms / 1000);
  console.log(
    `| ${label} | ${rate.toFixed(0)} | ${at(0.5)} | ${at(0.9)} | ${at(0.99)} | ${samples.at(-1)!.toFixed(1)} | ${slow.toFixed(0)} of ${ms.toFixed(0)} |`,
  );
  return rate;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const dbs = [await scratchDatabase(PG_URL), await scratchDatabase(PG_URL)];
try {
  const eventum = await eventumTarget('eventum', {
    type: 'postgres',
    url: dbs[0]!.url,
    durability,
  });
  const emmett = emmettTarget(dbs[1]!.url);
  const rates = new Map<SourcingTarget, number[]>([
    [eventum, []],
    [emmett, []],
  ]);
  console.log(
    `| round, target | events/s | p50 | p90 | p99 | max | ms in appends > ${SLOW_MS} ms |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  try {
    for (let r = 0; r < rounds; r++) {
      for (const t of r % 2 === 0 ? [eventum, emmett] : [emmett, eventum]) {
        rates.get(t)!.push(await round(t, `round-${r}`, `${r + 1}, ${t.name}`));
      }
    }
  } finally {
    await eventum.close();
    await emmett.close();
  }
  const ratio = median(rates.get(eventum)!) / median(rates.get(emmett)!);
  console.log(`\nmedian events/s, eventum over Emmett (${durability}): ${ratio.toFixed(2)}×`);
} finally {
  for (const db of dbs) await db.drop();
}
