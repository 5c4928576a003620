import type {
  Event,
  EventPayload,
  EventType,
  JsonValue,
  QueryParams,
  RegisterEvent,
  Timestamp,
} from '@eventum/core';

/** An event as the HTTP API writes it (docs/http-api.md: the CLI's JSON, binary in base64). */
export interface EventJson {
  readonly id: { readonly server: number; readonly session: number; readonly instance: number };
  readonly type: readonly string[];
  readonly timestamp: Timestamp;
  readonly source_timestamp: Timestamp | null;
  readonly payload: PayloadJson | null;
}

type PayloadJson =
  | { readonly data_type: 'json'; readonly data: JsonValue }
  | { readonly data_type: 'binary'; readonly binary_type: string; readonly data: string };

export function eventFromJson(json: EventJson): Event {
  return {
    id: { server: json.id.server, session: json.id.session, instance: json.id.instance },
    type: json.type,
    timestamp: json.timestamp,
    sourceTimestamp: json.source_timestamp,
    payload: payloadFromJson(json.payload),
  };
}

function payloadFromJson(payload: PayloadJson | null): EventPayload | null {
  if (payload === null) return null;
  if (payload.data_type === 'json') return { type: 'json', data: payload.data };
  const bytes = Buffer.from(payload.data, 'base64');
  return {
    type: 'binary',
    binaryType: payload.binary_type,
    data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
}

export function registerEventToJson(event: RegisterEvent): Record<string, unknown> {
  const payload = event.payload ?? null;
  return {
    type: event.type,
    source_timestamp: event.sourceTimestamp ?? null,
    payload:
      payload === null
        ? null
        : payload.type === 'json'
          ? { data_type: 'json', data: payload.data }
          : {
              data_type: 'binary',
              binary_type: payload.binaryType,
              data: Buffer.from(
                payload.data.buffer,
                payload.data.byteOffset,
                payload.data.length,
              ).toString('base64'),
            },
  };
}

/** The API's query body of `params` (Hat's field names in snake case). */
export function queryToJson(params: QueryParams): Record<string, unknown> {
  const types = (t: readonly EventType[] | null | undefined) =>
    t === undefined ? {} : { event_types: t };
  const defined = (body: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null));
  switch (params.type) {
    case 'latest':
      return { type: 'latest', ...types(params.eventTypes) };
    case 'timeseries':
      return defined({
        type: 'timeseries',
        ...types(params.eventTypes),
        t_from: params.tFrom,
        t_to: params.tTo,
        source_t_from: params.sourceTFrom,
        source_t_to: params.sourceTTo,
        order: params.order,
        order_by: params.orderBy === 'sourceTimestamp' ? 'source_timestamp' : params.orderBy,
        max_results: params.maxResults,
        last_event_id: params.lastEventId,
      });
    case 'server':
      return defined({
        type: 'server',
        server_id: params.serverId,
        persisted: params.persisted,
        max_results: params.maxResults,
        last_event_id: params.lastEventId,
      });
  }
}
