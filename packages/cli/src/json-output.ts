import type { Event, EventPayload, QueryResult, Timestamp } from '@eventum/core';

/**
 * The JSON shape `hat-event-manager` prints, so scripts written for it read eventum's output:
 * snake_case fields, binary data as hex.
 */
export function eventToJson(event: Event): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    timestamp: timestampToJson(event.timestamp),
    source_timestamp:
      event.sourceTimestamp === null ? null : timestampToJson(event.sourceTimestamp),
    payload: payloadToJson(event.payload),
  };
}

export function queryResultToJson(result: QueryResult): Record<string, unknown> {
  return { events: result.events.map(eventToJson), more_follows: result.moreFollows };
}

function timestampToJson(t: Timestamp): Record<string, number> {
  return { s: t.s, us: t.us };
}

function payloadToJson(payload: EventPayload | null): Record<string, unknown> | null {
  if (payload === null) return null;
  if (payload.type === 'json') return { data_type: 'json', data: payload.data };
  return {
    data_type: 'binary',
    binary_type: payload.binaryType,
    data: Buffer.from(payload.data).toString('hex'),
  };
}
