import { timestampFromFloat, timestampNow } from '@eventum/core';
import type { EventId, Timestamp } from '@eventum/core';

import { UsageError } from './usage.js';

/** `now`, float seconds since the epoch, or an ISO 8601 date-time. */
export function parseTimestamp(name: string, value: unknown): Timestamp | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === 'now') return timestampNow();
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds)) return timestampFromFloat(seconds);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--${name} must be 'now', seconds since the epoch or an ISO date, got ${text}`,
    );
  }
  return timestampFromFloat(ms / 1000);
}

/** `SERVER,SESSION,INSTANCE`. */
export function parseEventId(name: string, value: unknown): EventId | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || !parts.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new UsageError(`--${name} must be SERVER,SESSION,INSTANCE, got ${text}`);
  }
  const [server = 0, session = 0, instance = 0] = parts;
  return { server, session, instance };
}
