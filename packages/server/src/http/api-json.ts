import { eventToJsonText, invalidArgument, parseEventType } from '@eventum/core';
import type {
  Event,
  EventPayload,
  EventType,
  JsonValue,
  RegisterEvent,
  Timestamp,
} from '@eventum/core';

/**
 * The HTTP API's event JSON: the CLI's shape (`eventToJson`: snake_case, `{s, us}` timestamps)
 * except that binary data is base64, not hex, since browsers decode base64 natively
 * (`atob`) and it is a third shorter. JSON payloads are passed on as the text the client sent.
 */
export function eventToApiJsonText(event: Event): string {
  const payload = event.payload;
  if (payload === null || payload.type === 'json') return eventToJsonText(event);
  const { id, timestamp: t, sourceTimestamp: s } = event;
  return JSON.stringify({
    id: { server: id.server, session: id.session, instance: id.instance },
    type: event.type,
    timestamp: { s: t.s, us: t.us },
    source_timestamp: s === null ? null : { s: s.s, us: s.us },
    payload: {
      data_type: 'binary',
      binary_type: payload.binaryType,
      data: Buffer.from(payload.data.buffer, payload.data.byteOffset, payload.data.length).toString(
        'base64',
      ),
    },
  });
}

/** `{"events":[...]}` plus `extra` fields (already JSON texts), built without re-encoding. */
export function eventsJsonText(
  events: readonly Event[],
  extra: Readonly<Record<string, string>> = {},
): string {
  let text = '{"events":[';
  for (let i = 0; i < events.length; i++) {
    if (i > 0) text += ',';
    text += eventToApiJsonText(events[i]!);
  }
  text += ']';
  for (const [key, value] of Object.entries(extra)) text += `,${JSON.stringify(key)}:${value}`;
  return `${text}}`;
}

/** An event to register as the API receives it (already validated against the OpenAPI schema). */
export interface ApiRegisterEvent {
  readonly type: readonly string[] | string;
  readonly source_timestamp?: Timestamp | null;
  readonly payload?: ApiPayload | null;
}

export type ApiPayload =
  | { readonly data_type: 'json'; readonly data: JsonValue }
  | { readonly data_type: 'binary'; readonly binary_type?: string; readonly data: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads one register event; throws `ERR_INVALID_ARGUMENT` naming `path` for bad base64 data. */
export function registerEventFromApi(event: ApiRegisterEvent, path: string): RegisterEvent {
  return {
    type: apiEventType(event.type, `${path}/type`),
    sourceTimestamp: event.source_timestamp ?? null,
    payload: payloadFromApi(event.payload ?? null, `${path}/payload`),
  };
}

/** An event type given as segments or as one `a/b/c` text. */
export function apiEventType(type: readonly string[] | string, path: string): EventType {
  if (typeof type !== 'string') return type;
  try {
    return parseEventType(type);
  } catch (error) {
    throw invalidArgument(`${path}: ${(error as Error).message}`);
  }
}

function payloadFromApi(payload: ApiPayload | null, path: string): EventPayload | null {
  if (payload === null) return null;
  if (payload.data_type === 'json') return { type: 'json', data: payload.data };
  if (payload.data.length % 4 !== 0 || !BASE64.test(payload.data)) {
    throw invalidArgument(`${path}/data: binary data must be base64`);
  }
  const bytes = Buffer.from(payload.data, 'base64');
  return {
    type: 'binary',
    binaryType: payload.binary_type ?? '',
    data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
}
