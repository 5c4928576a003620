import {
  Subscription,
  compareEvents,
  decodeEvent,
  eventEncoding,
  encodeEvent,
  rememberEventEncoding,
} from '@eventum/core';
import type { Conditions, Event, EventId, EventType } from '@eventum/core';

import type { LmdbEnvironment } from './environment.js';
import { readU64 } from './keys.js';
import type { Generation, StagedEvent } from './staging.js';

/** The event whose REF record holds a slot's latest reference. */
interface LatestHolder {
  readonly id: EventId;
  /** Sequence number of the generation that writes its REF record (-1: already on disk). */
  readonly generation: number;
  /** The staged event, while `generation` is being staged. */
  readonly staged: StagedEvent | null;
}

/** One event type of the latest store. */
interface LatestSlot {
  readonly typeRef: number;
  /** The visible latest event; null when hidden by the current conditions or subscriptions. */
  event: Event | null;
  holder: LatestHolder | null;
}

/**
 * A copy of `event` with its encoding in a buffer of its own: it keeps no batch's buffer alive,
 * and queries still send the bytes that were stored instead of encoding the event again (which
 * could fail for a payload stored by an older version: see `MAX_PAYLOAD_DEPTH`).
 */
function unpinned(event: Event): Event {
  const payload = event.payload === null ? null : { ...event.payload };
  const copy = { ...event, payload };
  rememberEventEncoding(copy, (eventEncoding(event) ?? encodeEvent(event)).slice());
  return copy;
}

/** Decodes a stored LATEST_DATA value, remembering a copy of its bytes (see {@link unpinned}). */
function decodeStored(value: Uint8Array): Event {
  const event = decodeEvent(value);
  rememberEventEncoding(event, value.slice());
  return event;
}

/**
 * The latest store in memory (hat-event.md §4.4.7): the greatest event (natural order) of every
 * type `latest.subscriptions` matches, loaded at start-up and answered from memory.
 */
export class LatestIndex {
  readonly #slots: Map<string, LatestSlot>;
  readonly #byRef = new Map<number, LatestSlot>();
  #nextRef: number;

  private constructor(slots: Map<string, LatestSlot>, nextRef: number) {
    this.#slots = slots;
    this.#nextRef = nextRef;
    for (const slot of slots.values()) this.#byRef.set(slot.typeRef, slot);
  }

  /**
   * Loads LATEST_TYPE and LATEST_DATA. An event stays visible only if its type ref is consistent
   * and it passes the current `conditions` and `subscription`.
   */
  static load(
    env: LmdbEnvironment,
    conditions: Conditions,
    subscription: Subscription,
  ): LatestIndex {
    const slots = new Map<string, LatestSlot>();
    let maxRef = 0;
    for (const { key, value } of env.dbs.LATEST_TYPE.getRange({})) {
      const typeRef = readU64(key);
      maxRef = Math.max(maxRef, typeRef);
      // Re-keyed by JSON.stringify: Hat writes JSON with other spacing.
      const type = JSON.parse(value.toString('utf8')) as EventType;
      slots.set(JSON.stringify(type), { typeRef, event: null, holder: null });
    }
    for (const { key, value } of env.dbs.LATEST_DATA.getRange({})) {
      const event = decodeStored(value);
      const slot = slots.get(JSON.stringify(event.type));
      if (slot?.typeRef !== readU64(key)) continue;
      slot.holder = { id: event.id, generation: -1, staged: null };
      if (subscription.matches(event.type) && conditions.matches(event)) slot.event = event;
    }
    return new LatestIndex(slots, maxRef + 1);
  }

  /** Number of visible latest events. */
  get size(): number {
    let n = 0;
    for (const slot of this.#slots.values()) if (slot.event !== null) n++;
    return n;
  }

  /**
   * Makes `staged` the latest of its type (key `typeKey`) unless the current one is greater in
   * natural order. The replaced event loses its latest reference: in memory while its REF record
   * is unwritten, else through a REF removal of `generation`.
   */
  offer(typeKey: string, staged: StagedEvent, generation: Generation, sequence: number): void {
    let slot = this.#slots.get(typeKey);
    if (slot === undefined) {
      slot = { typeRef: this.#nextRef++, event: null, holder: null };
      this.#slots.set(typeKey, slot);
      this.#byRef.set(slot.typeRef, slot);
      generation.newTypes.set(slot.typeRef, staged.event.type);
    }
    if (slot.event !== null && compareEvents(slot.event, staged.event) > 0) return;
    const holder = slot.holder;
    if (holder?.staged != null && holder.generation === sequence) holder.staged.latestRef = -1;
    else if (holder !== null) generation.refRemovals.push({ id: holder.id, typeRef: slot.typeRef });
    staged.latestRef = slot.typeRef;
    slot.event = staged.event;
    slot.holder = { id: staged.event.id, generation: sequence, staged };
    generation.latest.set(slot.typeRef, staged);
  }

  /**
   * Forgets the staged events of `generation`, which a flush has taken over: their REF records
   * are being written, and keeping them would pin their encoding buffers. For the same reason
   * a latest event is kept as a copy whose encoding is copied into a buffer of its own: the
   * bytes remembered on it (and on its payload) share buffers with the other events of their
   * batch.
   */
  settle(generation: Generation): void {
    for (const [typeRef, staged] of generation.latest) {
      const slot = this.#byRef.get(typeRef);
      if (slot?.holder?.staged === staged) {
        slot.holder = { id: staged.event.id, generation: -1, staged: null };
      }
      if (slot?.event === staged.event) slot.event = unpinned(staged.event);
    }
  }

  /** Hat's latest query: all, a subscription filter, or exact lookups. */
  query(eventTypes: readonly EventType[] | null): Event[] {
    const all = eventTypes === null || eventTypes.some((t) => t.length === 1 && t[0] === '*');
    if (all || eventTypes.some((t) => t.includes('*') || t.includes('?'))) {
      const subscription = all ? null : new Subscription(eventTypes);
      const events: Event[] = [];
      for (const { event } of this.#slots.values()) {
        if (event !== null && (subscription === null || subscription.matches(event.type))) {
          events.push(event);
        }
      }
      return events;
    }
    const keys = new Set(eventTypes.map((t) => JSON.stringify(t)));
    const events: Event[] = [];
    for (const key of keys) {
      const event = this.#slots.get(key)?.event;
      if (event != null) events.push(event);
    }
    return events;
  }
}
