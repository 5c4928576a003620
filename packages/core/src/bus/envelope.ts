import { invalidArgument } from '../errors.js';
import type { JsonValue } from '../model/payload.js';

/**
 * The envelope schema version this code writes (DECNET's `EVENT_SCHEMA_VERSION`). 2: on NATS the
 * body leaves out `topic` (the subject) and the type, version and timestamp headers are gone
 * (docs/bus.md); the fields a subscriber receives are the same. Readers accept version 1.
 */
export const BUS_ENVELOPE_VERSION = 2;

/** A bus payload: always a JSON object. */
export type BusPayload = { readonly [key: string]: JsonValue };

/**
 * DECNET's versioned bus envelope. `topic` is the subject the event travelled on; `type` a short
 * discriminator (`''` when not given); `ts` epoch seconds as a float; `id` 32 hex characters,
 * unique per published event (JetStream de-duplicates on it).
 */
export interface BusEnvelope {
  readonly v: number;
  readonly id: string;
  readonly topic: string;
  readonly type: string;
  readonly ts: number;
  readonly payload: BusPayload;
}

/** Where a delivered event came from, when the transport knows (JetStream). */
export interface BusDelivery {
  /** The stream sequence of the message. */
  readonly seq: number;
  /** How many times the message has been delivered, 1 on the first delivery. */
  readonly count: number;
}

/** An event as a subscriber receives it: the envelope and, for JetStream, its delivery. */
export interface BusEvent extends BusEnvelope {
  readonly delivery?: BusDelivery;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const ID_BYTES = 16;
const POOL_IDS = 256;
const pool = new Uint8Array(ID_BYTES * POOL_IDS);
let poolOffset = pool.length;

/**
 * A fresh envelope id: 128 random bits as 32 hex characters (DECNET's `uuid4().hex` shape). The
 * random bytes come from `crypto.getRandomValues`, drawn 4 KiB at a time.
 */
export function newEnvelopeId(): string {
  if (poolOffset === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let id = '';
  for (let i = poolOffset; i < poolOffset + ID_BYTES; i++) id += HEX[pool[i] as number] as string;
  poolOffset += ID_BYTES;
  return id;
}

/** What {@link createEnvelope} may take from the publisher besides topic and payload. */
export interface EnvelopeFields {
  readonly type?: string;
  readonly id?: string;
  readonly ts?: number;
}

/** Builds an envelope with DECNET's defaults: `v` {@link BUS_ENVELOPE_VERSION}, a fresh `id`, `ts`
 * now, `type` `''`. */
export function createEnvelope(
  topic: string,
  payload: BusPayload,
  fields: EnvelopeFields = {},
): BusEnvelope {
  assertBusPayload(payload);
  return {
    v: BUS_ENVELOPE_VERSION,
    id: fields.id ?? newEnvelopeId(),
    topic,
    type: fields.type ?? '',
    ts: fields.ts ?? Date.now() / 1000,
    payload,
  };
}

/** Throws `ERR_INVALID_ARGUMENT` unless `payload` is a JSON object (what every publish checks). */
export function assertBusPayload(payload: unknown): asserts payload is BusPayload {
  if (!isJsonObject(payload)) throw invalidArgument('bus payload must be a JSON object');
}

/**
 * The envelope's JSON text, keys in DECNET's order (`v, id, topic, type, ts, payload`). Built by
 * hand around `JSON.stringify(payload)` (or `payloadJson`, the payload already encoded): the
 * same text as stringifying the whole object, without building and walking a second object.
 */
export function encodeEnvelope(envelope: BusEnvelope, payloadJson?: string): string {
  const { v, id, topic, type, ts } = envelope;
  const payload = payloadJson ?? JSON.stringify(envelope.payload);
  return `{"v":${json(v)},"id":${JSON.stringify(id)},"topic":${JSON.stringify(topic)},"type":${JSON.stringify(type)},"ts":${json(ts)},"payload":${payload}}`;
}

/** A number as JSON (`null` when not finite, as `JSON.stringify` writes it). */
function json(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * Tolerant decoding (DECNET's `from_dict`): `topic` is the subject the transport delivered the
 * message on, never the body's `topic` (a publisher cannot spoof another topic). Missing or
 * ill-typed fields fall back: `payload` → `{}`, `type` → `''`, `v` → 1, `ts` → now, `id` → a
 * fresh id. `fallback` supplies values the transport carried elsewhere (message headers).
 */
export function decodeEnvelope(
  topic: string,
  body: unknown,
  fallback: EnvelopeFields = {},
): BusEnvelope {
  const data = isJsonObject(body) ? body : {};
  const v = Number(data['v']);
  const ts = Number(data['ts'] ?? fallback.ts);
  return {
    // No version: the first one (DECNET's default; plain publishers are read as version 1).
    v: Number.isInteger(v) ? v : 1,
    id: nonEmptyString(data['id']) ?? fallback.id ?? newEnvelopeId(),
    topic,
    type: nonEmptyString(data['type']) ?? fallback.type ?? '',
    ts: Number.isFinite(ts) ? ts : Date.now() / 1000,
    payload: isJsonObject(data['payload']) ? data['payload'] : {},
  };
}

function isJsonObject(value: unknown): value is BusPayload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
