import type { Event, EventPayload, EventType, JsonValue, Timestamp } from '@eventum/core';

/** Builds events for tests: ids, timestamps and payloads with sensible defaults. */
export function makeEvent(
  server: number,
  session: number,
  instance: number,
  type: EventType,
  options: {
    timestamp?: Timestamp;
    sourceTimestamp?: Timestamp | null;
    payload?: EventPayload | null;
  } = {},
): Event {
  return {
    id: { server, session, instance },
    type,
    timestamp: options.timestamp ?? { s: 1_700_000_000 + session, us: 0 },
    sourceTimestamp: options.sourceTimestamp ?? null,
    payload: options.payload ?? null,
  };
}

/** JSON payload shorthand. */
export function json(data: JsonValue): EventPayload {
  return { type: 'json', data };
}

/**
 * One engine session's worth of events of `server`: `count` events of `type`, sharing the
 * timestamp `{s: base + session, us: 0}` and carrying source timestamps that run backwards, so
 * timestamp and source-timestamp order differ.
 */
export function session(server: number, sessionId: number, types: readonly EventType[]): Event[] {
  return types.map((type, i) =>
    makeEvent(server, sessionId, i + 1, type, {
      timestamp: { s: 1_700_000_000 + sessionId, us: 0 },
      sourceTimestamp: { s: 1_600_000_000 - sessionId * 10 - i, us: 500 },
      payload: json({ session: sessionId, instance: i + 1 }),
    }),
  );
}
