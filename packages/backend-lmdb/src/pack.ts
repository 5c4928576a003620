import { setImmediate } from 'node:timers/promises';

import { timestampToBytes } from '@eventum/core';

import { EVENT_ID_BYTES, eventIdKey, u64Key, writeEventId } from './keys.js';
import { Op, OpsWriter } from './ops.js';
import type { ChunkPool } from './ops.js';
import { refsByteLength, writeRefs } from './refs.js';
import type { Generation, StagedEvent } from './staging.js';
import { isStored } from './staging.js';
import type { ServerState } from './system.js';

/** Records packed between two yields to the event loop. */
const SLICE = 16_384;

/**
 * Packs everything one generation writes into a write log (see {@link OpsWriter}): last ids and
 * timestamps, latest types and data, timeseries entries (in key order: LMDB inserts are cheapest
 * that way), REF records of the stored events, and the REF edits of events that stopped being
 * the latest of their type. The writer thread applies it in one transaction. Yields to the event
 * loop every {@link SLICE} records, so a large flush does not stall it; the generation must no
 * longer change (it has been handed to the flush).
 */
export async function packGeneration(
  generation: Generation,
  servers: ReadonlyMap<number, ServerState>,
  pool: ChunkPool,
): Promise<Uint8Array[]> {
  const ops = new OpsWriter(pool);
  for (const partition of generation.partitions.values()) partition.ensureSorted();
  for (const server of generation.servers) {
    const state = servers.get(server) as ServerState;
    const key = u64Key(server);
    ops.add(Op.Put, 'SYSTEM_LAST_EVENT_ID', key, eventIdKey(state.lastId));
    ops.add(Op.Put, 'SYSTEM_LAST_TIMESTAMP', key, timestampToBytes(state.lastTimestamp));
  }
  for (const [typeRef, type] of generation.newTypes) {
    ops.add(Op.Put, 'LATEST_TYPE', u64Key(typeRef), Buffer.from(JSON.stringify(type), 'utf8'));
  }
  for (const [typeRef, staged] of generation.latest) {
    ops.add(Op.Put, 'LATEST_DATA', u64Key(typeRef), staged.value);
  }
  for (const { keys, events } of generation.partitions.values()) {
    for (let i = 0; i < keys.length; i++) {
      ops.add(Op.Put, 'TIMESERIES_DATA', keys[i] as Buffer, (events[i] as StagedEvent).value);
      if (ops.count % SLICE === 0) await setImmediate();
    }
  }
  // The log copies each record, so one scratch key and value serve every REF record.
  const refKey = Buffer.allocUnsafeSlow(EVENT_ID_BYTES);
  let refValue = Buffer.allocUnsafeSlow(64);
  for (const list of generation.byServer.values()) {
    for (const staged of list) {
      if (!isStored(staged)) continue;
      const latest = staged.latestRef >= 0 ? staged.latestRef : null;
      const length = refsByteLength(latest, staged.keys);
      if (length > refValue.length) refValue = Buffer.allocUnsafeSlow(length);
      writeEventId(refKey, 0, staged.event.id);
      writeRefs(refValue, latest, staged.keys);
      ops.add(Op.Put, 'REF', refKey, refValue.subarray(0, length));
      if (ops.count % SLICE === 0) await setImmediate();
    }
  }
  for (const { id, typeRef } of generation.refRemovals) {
    ops.add(Op.DropLatestRef, 'REF', eventIdKey(id), u64Key(typeRef));
  }
  return ops.finish();
}
