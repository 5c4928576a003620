import { compareTimestamps, timestampAfter, toError } from '@eventum/core';
import type { Backend, Event, EventId, Logger, RegisterEvent, Timestamp } from '@eventum/core';

/** The timestamp of the event `lastId` (the last stored one), or `undefined` if unreadable. */
export async function lastEventTimestamp(
  backend: Backend,
  lastId: EventId,
  logger: Logger,
): Promise<Timestamp | undefined> {
  if (lastId.session === 0) return undefined;
  const before: EventId = { ...lastId, instance: lastId.instance - 1 };
  try {
    const result = await backend.query({
      type: 'server',
      serverId: lastId.server,
      lastEventId: before,
      maxResults: 1,
    });
    return result.events[0]?.timestamp;
  } catch (error) {
    logger.warn('cannot read the last event timestamp', { error: toError(error).message });
    return undefined;
  }
}

/**
 * A `committed` backend's answer to a stored session: `answer` once a `backend.flush()` (which
 * covers everything registered so far, and is shared by every session waiting at the time) has
 * resolved; `null` (a failed registration) if the flush fails.
 */
export async function answerOnceCommitted(
  backend: Backend,
  answer: readonly Event[],
  log: (message: string, fields: Record<string, unknown>) => void,
  sessionId: number,
): Promise<readonly Event[] | null> {
  try {
    await backend.flush();
    return answer;
  } catch (error) {
    log('session not committed; registration failed', {
      session: sessionId,
      error: toError(error).message,
    });
    return null;
  }
}

/** A session's timestamp: now, or just after the last one if the clock has not moved past it
 * (Hat's rule: session timestamps strictly increase). */
export function nextSessionTimestamp(now: Timestamp, last: Timestamp | undefined): Timestamp {
  return last !== undefined && compareTimestamps(now, last) <= 0 ? timestampAfter(last) : now;
}

/** The engine's own `event/<server id>/engine` event with Hat's STARTED or STOPPED payload. */
export function engineStatusEvent(
  serverId: number,
  status: 'STARTED' | 'STOPPED',
): RegisterEvent & Pick<Event, 'payload'> {
  return {
    type: ['event', String(serverId), 'engine'],
    sourceTimestamp: null,
    payload: { type: 'json', data: status },
  };
}
