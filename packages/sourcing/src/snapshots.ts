import type { AggregateRecorder } from '@eventum/core';

import { ConflictError } from './errors.js';
import { newId } from './events.js';
import type { Mapper } from './mapper.js';
import { upcast } from './mapper.js';

/** A snapshot as read back: the state upcast to the current version. */
export interface Snapshot<S = unknown> {
  readonly originatorId: string;
  readonly version: number;
  /** The aggregate class or decider name. */
  readonly kind: string;
  readonly state: S;
  readonly createdOn: Date | undefined;
  readonly modifiedOn: Date | undefined;
}

/** How a kind's snapshot state is versioned. */
export interface SnapshotSchema {
  readonly snapshotVersion?: number;
  readonly upcastSnapshot?: Readonly<Record<number, (state: any) => unknown>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface StoredSnapshot {
  readonly s: unknown;
  readonly v: number;
  readonly c?: Date;
  readonly m?: Date;
}

/**
 * Snapshots in their own aggregate recorder (a cache of state, not part of the event
 * transaction). State goes through the same mapper as events (transcoded, compressed,
 * encrypted). Taking the same version twice keeps the first.
 */
export class SnapshotStore {
  readonly #mapper: Mapper;
  readonly #recorder: AggregateRecorder;

  constructor(mapper: Mapper, recorder: AggregateRecorder) {
    this.#mapper = mapper;
    this.#recorder = recorder;
  }

  async put(snapshot: Snapshot, schema: SnapshotSchema): Promise<void> {
    const stored: StoredSnapshot = {
      s: snapshot.state,
      v: schema.snapshotVersion ?? 1,
      ...(snapshot.createdOn ? { c: snapshot.createdOn } : {}),
      ...(snapshot.modifiedOn ? { m: snapshot.modifiedOn } : {}),
    };
    const event = {
      originatorId: snapshot.originatorId,
      originatorVersion: snapshot.version,
      topic: snapshot.kind,
      eventId: newId(),
      state: this.#mapper.encodeState(stored),
    };
    try {
      await this.#recorder.insertEvents([event]);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  /** The newest snapshot at or below `lte` (any version when absent), upcast; or undefined. */
  async latest<S>(
    originatorId: string,
    schema: SnapshotSchema,
    lte?: number,
    signal?: AbortSignal,
  ): Promise<Snapshot<S> | undefined> {
    const range = lte === undefined ? {} : { lte };
    const [stored] = await this.#recorder.selectEvents(originatorId, {
      ...range,
      desc: true,
      limit: 1,
      signal,
    });
    if (stored === undefined) return undefined;
    const decoded = this.#mapper.decodeState(stored.state) as StoredSnapshot;
    return {
      originatorId,
      version: stored.originatorVersion,
      kind: stored.topic,
      state: upcast(decoded.s, decoded.v, schema.upcastSnapshot) as S,
      createdOn: decoded.c,
      modifiedOn: decoded.m,
    };
  }
}
