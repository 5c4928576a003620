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

/** Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 256 ids, not per id (it
 * was ~8 % of a single-writer append on LMDB). */
const RANDOM = new Uint8Array(4096);
let randomAt = RANDOM.length;

/** 16 fresh random bytes (a copy: the caller may change them). */
function randomBlock(): Uint8Array {
  if (randomAt + 16 > RANDOM.length) {
    globalThis.crypto.getRandomValues(RANDOM);
    randomAt = 0;
  }
  randomAt += 16;
  return RANDOM.slice(randomAt - 16, randomAt);
}

/**
 * A fresh time-ordered (v7, RFC 9562) UUID, used for event ids and new aggregate ids: 48 bits of
 * Unix milliseconds, then 74 random bits. Ids made close in time sort close together, so the
 * B-trees that index them (LMDB's event-id table, PostgreSQL's unique index) touch few pages
 * per commit instead of one random page per event.
 */
export function newId(): string {
  const b = randomBlock();
  let ms = Date.now();
  for (let i = 5; i >= 0; i--, ms = Math.floor(ms / 256)) b[i] = ms % 256;
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = Array.from(b, (x) => HEX[x]!).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Builds the envelope of the next event of a stream. */
export function makeMeta(
  originatorId: string,
  originatorVersion: number,
  causal?: CausalMeta,
): EventMeta {
  const eventId = newId();
  return {
    eventId,
    originatorId,
    originatorVersion,
    timestamp: new Date(),
    correlationId: causal?.correlationId ?? eventId,
    ...(causal?.causationId === undefined ? {} : { causationId: causal.causationId }),
  };
}

/** Envelope of events caused by `cause`: same correlation, causation = its event id. */
export function causedBy(cause: { readonly meta: EventMeta }): CausalMeta {
  return {
    correlationId: cause.meta.correlationId ?? cause.meta.eventId,
    causationId: cause.meta.eventId,
  };
}
