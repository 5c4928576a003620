/**
 * Domain events: typed discriminated unions (`type` + `data`) and the metadata envelope every
 * recorded event carries.
 */

/** An event as a domain produces it: a `type` discriminant and its `data`. Unions of these are
 * the typed event catalogue of an aggregate or decider. */
export interface Event<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/** The envelope of a recorded event. */
export interface EventMeta {
  /** Unique id of this event; appending it again is idempotent. */
  readonly eventId: string;
  /** The aggregate (stream) the event belongs to. */
  readonly originatorId: string;
  /** 1-based position in that stream. */
  readonly originatorVersion: number;
  /** When the event was recorded (wall clock of the recording process). */
  readonly timestamp: Date;
  /** Id of the conversation the event is part of (defaults to its own event id). */
  readonly correlationId?: string;
  /** Id of the event or command that caused it. */
  readonly causationId?: string;
}

/** An event with its envelope, as recorded and as read back. */
export type Recorded<E extends Event = Event> = E & { readonly meta: EventMeta };

/** The `data` type of the member of union `E` whose type is `T`. */
export type DataOf<E extends Event, T extends E['type']> = Extract<E, { type: T }>['data'];

/** Correlation and causation given to the events a command records. */
export interface CausalMeta {
  readonly correlationId?: string;
  readonly causationId?: string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 409 ids, not per id (it
 * was ~8 % of a single-writer append on LMDB). */
const RANDOM = new Uint8Array(4096);
let randomAt = RANDOM.length;

/** Random bytes an id takes: 74 random bits in 10 bytes (6 bits are overwritten). */
const RANDOM_BYTES = 10;

/** Where the next id's {@link RANDOM_BYTES} fresh random bytes start in `RANDOM`. */
function randomOffset(): number {
  if (randomAt + RANDOM_BYTES > RANDOM.length) {
    globalThis.crypto.getRandomValues(RANDOM);
    randomAt = 0;
  }
  randomAt += RANDOM_BYTES;
  return randomAt - RANDOM_BYTES;
}

/**
 * A fresh time-ordered (v7, RFC 9562) UUID, used for event ids and new aggregate ids: 48 bits of
 * Unix milliseconds, then 74 random bits. Ids made close in time sort close together, so the
 * B-trees that index them (LMDB's event-id table, PostgreSQL's unique index) touch few pages
 * per commit instead of one random page per event. Built by concatenating hex digits, without
 * an intermediate array or closure (it was ~10 % of a batch append on LMDB).
 */
export function newId(): string {
  const r = RANDOM;
  const at = randomOffset();
  return (
    timePrefix() +
    HEX[0x70 | (r[at]! & 0x0f)]! +
    HEX[r[at + 1]!]! +
    '-' +
    HEX[0x80 | (r[at + 2]! & 0x3f)]! +
    HEX[r[at + 3]!]! +
    '-' +
    HEX[r[at + 4]!]! +
    HEX[r[at + 5]!]! +
    HEX[r[at + 6]!]! +
    HEX[r[at + 7]!]! +
    HEX[r[at + 8]!]! +
    HEX[r[at + 9]!]!
  );
}

let prefixMs = -1;
let prefix = '';

/** An id's first two groups (`tttttttt-tttt-`), built once per millisecond: every id of a
 * batch shares them. */
function timePrefix(): string {
  const ms = Date.now();
  if (ms !== prefixMs) {
    const time = ms.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-`;
    prefixMs = ms;
  }
  return prefix;
}

/** Builds the envelope of the next event of a stream. */
export function makeMeta(
  originatorId: string,
  originatorVersion: number,
  causal?: CausalMeta,
): EventMeta {
  const eventId = newId();
  const meta: { -readonly [K in keyof EventMeta]: EventMeta[K] } = {
    eventId,
    originatorId,
    originatorVersion,
    timestamp: new Date(),
    correlationId: causal?.correlationId ?? eventId,
  };
  // Assigned rather than spread in: a spread builds a second object per event.
  if (causal?.causationId !== undefined) meta.causationId = causal.causationId;
  return meta;
}

/** Envelope of events caused by `cause`: same correlation, causation = its event id. */
export function causedBy(cause: { readonly meta: EventMeta }): CausalMeta {
  return {
    correlationId: cause.meta.correlationId ?? cause.meta.eventId,
    causationId: cause.meta.eventId,
  };
}
