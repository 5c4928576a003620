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
 * per commit instead of one random page per event.
 */
export function newId(): string {
  const ms = Date.now();
  if (ms !== idMs) writeTime(ms);
  const r = RANDOM;
  const at = randomOffset();
  writeByte(14, 0x70 | (r[at]! & 0x0f));
  writeByte(16, r[at + 1]!);
  writeByte(19, 0x80 | (r[at + 2]! & 0x3f));
  writeByte(21, r[at + 3]!);
  for (let i = 0; i < 6; i++) writeByte(24 + 2 * i, r[at + 4 + i]!);
  return String.fromCharCode(...ID);
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** The character codes of the next id, rewritten in place (the dashes stay), made into one
 * string at once: concatenating its pieces built a dozen intermediate strings per id. */
const ID = new Array<number>(36).fill(0x2d);
/** The millisecond whose digits `ID` holds. */
let idMs = -1;

/** Writes the 12 hex digits of `ms` (48 bits) into the id's first two groups. */
function writeTime(ms: number): void {
  let rest = ms;
  for (let i = 11; i >= 0; i--) {
    ID[i < 8 ? i : i + 1] = HEX_CODES[rest % 16]!;
    rest = Math.floor(rest / 16);
  }
  idMs = ms;
}

function writeByte(at: number, byte: number): void {
  ID[at] = HEX_CODES[byte >> 4]!;
  ID[at + 1] = HEX_CODES[byte & 0x0f]!;
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
