/**
 * Raw lmdb-js, the yardstick of the LMDB backend: what the library does without eventum.
 * - `lmdb-raw/put-sync`: 100,000 puts of ~150-byte values under 44-byte keys (the timeseries
 *   key size), in `transactionSync` transactions of 1,000; ops = puts/s.
 * - `lmdb-raw/put-batch`: the same through asynchronous `put`s, one `batch` per 1,000.
 * - `lmdb-raw/range-read`: a `getRange` over the 100,000 entries, each value seen in lmdb-js's
 *   shared read buffer by a custom decoder (the fastest way; the `binary` encoding would copy
 *   each value first); ops = entries/s. `lmdb-raw/range-read-decode` decodes each value as a
 *   `HatEventer.Event` there, as the LMDB backend does.
 * Run: `npm run bench -- lmdb-raw`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeEvent, encodeEvent } from '@eventum/core';
import type { Event } from '@eventum/core';
import { open } from 'lmdb';
import type { RootDatabase } from 'lmdb';

import { measureRounds } from '../harness.js';
import type { Scenario } from '../scenario.js';
import { rawKey } from '../targets/lmdb-raw.js';
import { sampleEvents } from './codec.js';

const TRANSACTION = 1000;
const key = rawKey;

export const lmdbRawScenario: Scenario = {
  name: 'lmdb-raw',
  async run({ quick, report }) {
    const count = quick ? 5_000 : 100_000;
    const rounds = quick ? 1 : 5;
    const values = sampleEvents(1000).map((e) => Buffer.from(encodeEvent(e)));
    const valueBytes = Math.round(values.reduce((n, v) => n + v.length, 0) / values.length);
    const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-lmdb-'));
    const env = open({ path: join(dir, 'raw.db'), noSubdir: true, overlappingSync: false });
    const db = env.openDB<Buffer, Buffer>('DATA', { keyEncoding: 'binary', encoding: 'binary' });
    const params = {
      entries: count,
      keyBytes: key(0).length,
      valueBytes,
      transaction: TRANSACTION,
    };
    try {
      let next = 0;
      const putSync = await measureRounds(
        () => {
          for (let done = 0; done < count; done += TRANSACTION) {
            env.transactionSync(() => {
              for (let i = 0; i < TRANSACTION; i++, next++)
                db.putSync(key(next), values[next % 1000] as Buffer);
            });
          }
        },
        { ops: count, rounds },
      );
      report({ scenario: 'lmdb-raw/put-sync', params, ...putSync, rounds });
      const putBatch = await measureRounds(
        async () => {
          let last: Promise<boolean> = Promise.resolve(true);
          for (let done = 0; done < count; done += TRANSACTION) {
            last = db.batch(() => {
              for (let i = 0; i < TRANSACTION; i++, next++)
                void db.put(key(next), values[next % 1000] as Buffer);
            });
          }
          await last;
        },
        { ops: count, rounds },
      );
      report({ scenario: 'lmdb-raw/put-batch', params, ...putBatch, rounds });
      await rangeReads(env, count, rounds, params, report);
    } finally {
      await env.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

async function rangeReads(
  env: RootDatabase,
  count: number,
  rounds: number,
  params: Record<string, unknown>,
  report: Parameters<Scenario['run']>[0]['report'],
): Promise<void> {
  const range = { start: key(0), end: key(count) };
  // Options declared apart: lmdb-js types `encoder` only on the root's options, though every
  // sub-database honours it.
  const encode = (value: Buffer) => value;
  const sizeView = { keyEncoding: 'binary' as const, encoder: { encode, decode: byteLength } };
  const eventView = { keyEncoding: 'binary' as const, encoder: { encode, decode: decodeEvent } };
  const sizes = env.openDB<number, Buffer>('DATA', sizeView);
  const read = await measureRounds(
    () => {
      let bytes = 0;
      for (const { value } of sizes.getRange(range)) bytes += value;
      if (bytes === 0) throw new Error('nothing read');
    },
    { ops: count, rounds },
  );
  report({ scenario: 'lmdb-raw/range-read', params, ...read, rounds });
  const events = env.openDB<Event, Buffer>('DATA', eventView);
  const decoded = await measureRounds(
    () => {
      let read = 0;
      for (const { value } of events.getRange(range)) if (value.payload !== null) read++;
      if (read !== count) throw new Error(`decoded ${read} of ${count} events`);
    },
    { ops: count, rounds },
  );
  report({ scenario: 'lmdb-raw/range-read-decode', params, ...decoded, rounds });
}

function byteLength(value: Buffer): number {
  return value.length;
}
