import type { LmdbEnvironment } from './environment.js';
import { eventIdKey, u64Key } from './keys.js';
import type { Partition } from './partitions.js';
import { decodeRefs, encodeEventRefs, encodeRefs } from './refs.js';
import type { Generation, RefRemoval } from './staging.js';
import { isStored } from './staging.js';
import type { ServerState } from './system.js';
import { writeServerStates } from './system.js';

/** Entry count and byte changes of partitions, applied in memory once the write has committed. */
export type PartitionDeltas = Map<Partition, { count: number; size: number }>;

/**
 * Writes one generation in one LMDB transaction (queued as a single batch, written by lmdb-js'
 * writer thread): last ids and timestamps, latest types and data, timeseries entries with their
 * counts and sizes, REF records of the stored events, and the REF edits of events that stopped
 * being the latest of their type. Resolves once committed and durable.
 */
export async function writeGeneration(
  env: LmdbEnvironment,
  generation: Generation,
  servers: ReadonlyMap<number, ServerState>,
  partitions: ReadonlyMap<number, Partition>,
): Promise<PartitionDeltas> {
  const deltas: PartitionDeltas = new Map();
  await env.root.batch(() => {
    writeServerStates(
      env,
      [...generation.servers].map((id) => [id, servers.get(id) as ServerState]),
    );
    writeLatest(env, generation);
    writeTimeseries(env, generation, partitions, deltas);
    writeRefs(env, generation);
    removeLatestRefs(env, generation.refRemovals);
  });
  return deltas;
}

function writeLatest(env: LmdbEnvironment, generation: Generation): void {
  for (const [typeRef, type] of generation.newTypes) {
    void env.dbs.LATEST_TYPE.put(u64Key(typeRef), Buffer.from(JSON.stringify(type), 'utf8'));
  }
  for (const [typeRef, staged] of generation.latest) {
    void env.dbs.LATEST_DATA.put(u64Key(typeRef), staged.value as Buffer);
  }
}

function writeTimeseries(
  env: LmdbEnvironment,
  generation: Generation,
  partitions: ReadonlyMap<number, Partition>,
  deltas: PartitionDeltas,
): void {
  const db = env.dbs.TIMESERIES_DATA;
  for (const [id, staged] of generation.partitions) {
    const partition = partitions.get(id);
    if (partition === undefined) continue;
    let size = 0;
    const { keys, events } = staged;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as Buffer;
      const value = (events[i] as { value: Uint8Array }).value;
      void db.put(key, value as Buffer);
      size += key.length + value.length;
    }
    const delta = { count: keys.length, size };
    deltas.set(partition, delta);
    const partitionKey = u64Key(id);
    void env.dbs.TIMESERIES_COUNT.put(partitionKey, u64Key(partition.count + delta.count));
    void env.dbs.TIMESERIES_SIZE.put(partitionKey, u64Key(partition.size + delta.size));
  }
}

function writeRefs(env: LmdbEnvironment, generation: Generation): void {
  const db = env.dbs.REF;
  for (const list of generation.byServer.values()) {
    for (const staged of list) {
      if (!isStored(staged)) continue;
      const latest = staged.latestRef >= 0 ? staged.latestRef : null;
      void db.put(eventIdKey(staged.event.id), encodeRefs(latest, staged.keys));
    }
  }
}

/** Read-modify-write of REF records written by earlier flushes (reads see the last commit). */
function removeLatestRefs(env: LmdbEnvironment, removals: readonly RefRemoval[]): void {
  const db = env.dbs.REF;
  for (const { id, typeRef } of removals) {
    const key = eventIdKey(id);
    const value = db.get(key);
    if (value === undefined) continue;
    const refs = decodeRefs(value).filter((r) => r.kind !== 'latest' || r.typeRef !== typeRef);
    if (refs.length === 0) void db.remove(key);
    else void db.put(key, encodeEventRefs(refs));
  }
}
