/** Any JSON value. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A JSON payload. `data: null` is a JSON null, distinct from "no payload" (`payload: null`). */
export interface EventPayloadJson {
  readonly type: 'json';
  readonly data: JsonValue;
}

/** Opaque bytes with a free-form type label (Hat's `EventPayloadBinary.type`); never decoded by
 * the server. */
export interface EventPayloadBinary {
  readonly type: 'binary';
  readonly binaryType: string;
  readonly data: Uint8Array;
}

export type EventPayload = EventPayloadJson | EventPayloadBinary;
