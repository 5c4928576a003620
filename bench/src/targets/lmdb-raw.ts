/**
 * Raw lmdb-js as a comparison target: the practical limit of the embedded store. Events are
 * stored the way the LMDB backend stores a timeseries entry (a 44-byte ordered key, the event
 * encoded as `HatEventer.Event`), with no engine, network, latest store or second partition.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeEvent, encodeEvent } from '@eventum/core';
import type { Event, RegisterEvent } from '@eventum/core';
import { open } from 'lmdb';

import { storedEvent } from '../workload.js';
import { PIPELINED_BATCHES } from './target.js';
import type { Target } from './target.js';

const KEY_BYTES = 44;

/** A key ordered by `n`: partition 1, then a counter where the timestamp would be. */
export function rawKey(n: number): Buffer {
  const key = Buffer.alloc(KEY_BYTES);
  key.writeUInt32BE(1, 4);
  key.writeUInt32BE(Math.floor(n / 2 ** 32), 8);
  key.writeUInt32BE(n >>> 0, 12);
  return key;
}

export async function openLmdbRawTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'eventum-bench-raw-'));
  const path = join(dir, 'raw.db');
  const env = open({ path, noSubdir: true, overlappingSync: false });
  const db = env.openDB<Buffer, Buffer>('DATA', { keyEncoding: 'binary', encoding: 'binary' });
  // A custom decoder sees each value in lmdb-js's shared read buffer, without the copy the
  // `binary` encoding makes: the fastest way to read a range and decode every event.
  const eventEncoding = {
    keyEncoding: 'binary' as const,
    encoder: { encode: (event: Event) => Buffer.from(encodeEvent(event)), decode: decodeEvent },
  };
  const events = env.openDB<Event, Buffer>('DATA', eventEncoding);
  let next = 0;
  const value = (event: RegisterEvent): Buffer => {
    const n = next++;
    const timestamp = { s: 1_700_000_000 + Math.floor(n / 1_000_000), us: n % 1_000_000 };
    return Buffer.from(
      encodeEvent(storedEvent(event, { server: 1, session: n + 1, instance: 1 }, timestamp)),
    );
  };
  return {
    name: 'lmdb-raw',
    // Concurrent transactions go to lmdb-js' write batch, like eventum's pipelined requests.
    batchesInFlight: PIPELINED_BATCHES,
    serverPids: () => Promise.resolve([]),
    async registerBatch(batch) {
      await db.transaction(() => {
        for (const event of batch) void db.put(rawKey(next), value(event));
      });
    },
    async registerOne(event) {
      await db.put(rawKey(next), value(event));
    },
    readAll(prefix) {
      let count = 0;
      for (const { value: event } of events.getRange({ start: rawKey(0), end: rawKey(next) }))
        if (event.type[0] === prefix && event.payload !== null) count++;
      return Promise.resolve(count);
    },
    // Every put has resolved, so the file holds all of them.
    storedBytes: async () => (await stat(path)).size,
    async close() {
      await env.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
