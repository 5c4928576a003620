import type { Event, EventPayload, Timestamp } from '@eventum/core';

/** A JSON-able record of the LMDB tools. */
export type ToolRecord = Record<string, unknown>;

/**
 * An event as the tools print it: the shape of `hat-event-manager` and `eventum query`
 * (snake_case fields, binary data as hex).
 */
export function eventRecord(event: Event): ToolRecord {
  return {
    id: { ...event.id },
    type: [...event.type],
    timestamp: timestampRecord(event.timestamp),
    source_timestamp:
      event.sourceTimestamp === null ? null : timestampRecord(event.sourceTimestamp),
    payload: payloadRecord(event.payload),
  };
}

export function timestampRecord(t: Timestamp): { s: number; us: number } {
  return { s: t.s, us: t.us };
}

function payloadRecord(payload: EventPayload | null): ToolRecord | null {
  if (payload === null) return null;
  if (payload.type === 'json') return { data_type: 'json', data: payload.data };
  return {
    data_type: 'binary',
    binary_type: payload.binaryType,
    data: Buffer.from(payload.data).toString('hex'),
  };
}
