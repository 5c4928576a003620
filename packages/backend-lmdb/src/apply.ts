import { addDelta } from './counters.js';
import type { CountDeltas, PartitionCounters } from './counters.js';
import type { LmdbEnvironment } from './environment.js';
import { readU64 } from './keys.js';
import { Op, forEachOp } from './ops.js';
import { decodeRefs, encodeEventRefs } from './refs.js';

/**
 * Applies a write log inside the caller's write transaction and updates the partition counts of
 * the timeseries entries it adds. Returns the count changes (apply them once committed).
 */
export function applyLog(
  env: LmdbEnvironment,
  log: readonly Uint8Array[],
  counters: PartitionCounters,
): CountDeltas {
  const deltas: CountDeltas = new Map();
  forEachOp(log, ({ op, db, key, value }) => {
    switch (op) {
      case Op.Put:
        env.dbs[db].putSync(key, value);
        if (db === 'TIMESERIES_DATA') addDelta(deltas, readU64(key), 1, key.length + value.length);
        return;
      case Op.Remove:
        env.dbs[db].removeSync(key);
        return;
      case Op.DropLatestRef:
        dropLatestRef(env, key, readU64(value));
        return;
    }
  });
  counters.write(env, deltas);
  return deltas;
}

/** Read-modify-write of a REF record: without the latest reference to `typeRef`. */
function dropLatestRef(env: LmdbEnvironment, idKey: Buffer, typeRef: number): void {
  const value = env.dbs.REF.get(idKey);
  if (value === undefined) return;
  const refs = decodeRefs(value).filter((r) => r.kind !== 'latest' || r.typeRef !== typeRef);
  if (refs.length === 0) env.dbs.REF.removeSync(idKey);
  else env.dbs.REF.putSync(idKey, encodeEventRefs(refs));
}
