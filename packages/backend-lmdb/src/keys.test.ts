import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareEvents } from '@eventum/core';
import type { EventId, Timestamp } from '@eventum/core';

import {
  TIMESERIES_KEY_BYTES,
  compareKeys,
  eventIdKey,
  highKey,
  lowKey,
  parseTimeseriesKey,
  readEventId,
  readU64,
  timeseriesKey,
  u64Key,
} from './keys.js';
import { CHUNK_BYTES, ChunkPool, Op, OpsWriter, forEachOp } from './ops.js';
import { decodeRefs, encodeRefs } from './refs.js';

describe('keys', () => {
  it('round-trips u64 values up to 2^53 - 1 in big-endian order', () => {
    for (const n of [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      assert.equal(readU64(u64Key(n)), n);
    }
    assert.deepEqual([...u64Key(258)], [0, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('orders event id keys like (server, session, instance)', () => {
    const ids: EventId[] = [
      { server: 1, session: 2, instance: 1 },
      { server: 1, session: 1, instance: 300 },
      { server: 2, session: 0, instance: 0 },
      { server: 1, session: 1, instance: 2 },
    ];
    const sorted = [...ids].sort((a, b) => Buffer.compare(eventIdKey(a), eventIdKey(b)));
    assert.deepEqual(
      sorted.map((id) => `${id.server}/${id.session}/${id.instance}`),
      ['1/1/2', '1/1/300', '1/2/1', '2/0/0'],
    );
    assert.deepEqual(readEventId(eventIdKey(ids[0] as EventId)), ids[0]);
  });

  it('orders timeseries keys by partition, then time (negative too), then id', () => {
    const id = { server: 1, session: 1, instance: 1 };
    const t = (s: number, us = 0): Timestamp => ({ s, us });
    const keys = [
      timeseriesKey(2, t(-5), id),
      timeseriesKey(1, t(10), { ...id, instance: 2 }),
      timeseriesKey(1, t(-1, 999_999), id),
      timeseriesKey(1, t(10), id),
      timeseriesKey(1, t(-2), id),
    ];
    const sorted = [...keys].sort((a, b) => Buffer.compare(a, b)).map(parseTimeseriesKey);
    assert.deepEqual(
      sorted.map((k) => [k.partitionId, k.time.s, k.id.instance]),
      [
        [1, -2, 1],
        [1, -1, 1],
        [1, 10, 1],
        [1, 10, 2],
        [2, -5, 1],
      ],
    );
    assert.equal(keys[0]?.length, TIMESERIES_KEY_BYTES);
  });

  it('bounds a partition and a time with low and high keys', () => {
    const key = timeseriesKey(3, { s: 100, us: 5 }, { server: 9, session: 9, instance: 9 });
    assert.ok(compareKeys(lowKey(3, null), key) < 0);
    assert.ok(compareKeys(key, highKey(3, null)) < 0);
    assert.ok(compareKeys(lowKey(3, { s: 100, us: 5 }), key) < 0);
    assert.ok(compareKeys(key, highKey(3, { s: 100, us: 5 })) < 0);
    assert.ok(compareKeys(highKey(3, { s: 100, us: 4 }), key) < 0);
    assert.ok(compareKeys(key, lowKey(3, { s: 100, us: 6 })) < 0);
  });

  it('compares only time and id from offset 8', () => {
    const id = { server: 1, session: 1, instance: 1 };
    const a = timeseriesKey(1, { s: 5, us: 0 }, id);
    const b = timeseriesKey(2, { s: 5, us: 0 }, id);
    assert.ok(compareKeys(a, b) < 0);
    assert.equal(compareKeys(a, b, 8), 0);
  });
});

describe('REF values', () => {
  it('round-trips a latest reference and timeseries references', () => {
    const key = timeseriesKey(1, { s: 1, us: 2 }, { server: 1, session: 2, instance: 3 });
    const refs = decodeRefs(encodeRefs(7, [key]));
    assert.equal(refs.length, 2);
    assert.deepEqual(refs[0], { kind: 'latest', typeRef: 7 });
    assert.equal(refs[1]?.kind, 'timeseries');
    assert.ok(refs[1]?.kind === 'timeseries' && Buffer.from(refs[1].key).equals(key));
  });

  it('rejects unknown tags and truncated values', () => {
    assert.throws(() => decodeRefs(Uint8Array.of(9, 0)), /unknown reference tag/);
    assert.throws(() => decodeRefs(Uint8Array.of(4, 0, 0)), /truncated/);
  });
});

describe('write log', () => {
  it('reads back every record in order, across chunks and oversized records', () => {
    const ops = new OpsWriter();
    const big = Buffer.alloc(CHUNK_BYTES + 10, 7);
    const medium = Buffer.alloc(CHUNK_BYTES / 2, 1);
    ops.add(Op.Put, 'REF', u64Key(1), medium);
    ops.add(Op.Put, 'REF', u64Key(2), medium);
    ops.add(Op.Put, 'LATEST_DATA', u64Key(3), big);
    ops.add(Op.Remove, 'TIMESERIES_DATA', u64Key(4));
    ops.add(Op.DropLatestRef, 'REF', u64Key(5), u64Key(6));
    const seen: string[] = [];
    const chunks = ops.finish();
    forEachOp(chunks, ({ op, db, key, value }) => {
      seen.push(`${op} ${db} ${readU64(key)} ${value.length}`);
    });
    assert.deepEqual(seen, [
      `1 REF 1 ${CHUNK_BYTES / 2}`,
      `1 REF 2 ${CHUNK_BYTES / 2}`,
      `1 LATEST_DATA 3 ${CHUNK_BYTES + 10}`,
      '2 TIMESERIES_DATA 4 0',
      '3 REF 5 8',
    ]);
    assert.equal(chunks.length, 4);
    assert.equal(ops.count, 5);
  });

  it('writes into chunks given back to its pool', () => {
    const pool = new ChunkPool();
    const first = new OpsWriter(pool);
    first.add(Op.Put, 'REF', u64Key(1), u64Key(2));
    const chunks = first.finish();
    pool.give(chunks.map((c) => c.buffer as ArrayBuffer));
    const second = new OpsWriter(pool);
    second.add(Op.Put, 'REF', u64Key(1), u64Key(2));
    assert.equal(second.finish()[0]?.buffer, chunks[0]?.buffer);
  });
});

// compareEvents is used by the latest store; keep its contract in view for same-server events.
it('natural order of same-server events follows their ids', () => {
  const event = (instance: number) => ({
    id: { server: 1, session: 1, instance },
    type: ['a'],
    timestamp: { s: 0, us: 0 },
    sourceTimestamp: null,
    payload: null,
  });
  assert.ok(compareEvents(event(1), event(2)) < 0);
});
