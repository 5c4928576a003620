import type { ChatterOptions } from '@eventum/client';
import {
  DEFAULT_MAX_FRAME_SIZE,
  EventerMsgType,
  PageBudget,
  encodeEventerMsg,
  encodedEventSize,
  eventBudget,
} from '@eventum/core';
import type { ChatterData, Event } from '@eventum/core';

/**
 * Bytes of encoded events one message to a client may hold: what fits the frame limit of the
 * chatter options (the client's own limit is assumed to be the same).
 */
export function messageEventBudget(chatter: ChatterOptions | undefined): number {
  return eventBudget(chatter?.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
}

function encodeNotify(events: readonly Event[]): Uint8Array {
  return encodeEventerMsg({ type: EventerMsgType.EventsNotify, data: events });
}

/**
 * The `MsgEventsNotify` bodies that carry `events` in order, each with at most `budget` bytes of
 * events, so every frame fits the client's limit (Hat's clients take any number of notifies).
 * Usually one body: events are only measured when the whole does not fit.
 */
export function notifyBodies(events: readonly Event[], budget: number): Uint8Array[] {
  const whole = encodeNotify(events);
  if (whole.length <= budget) return [whole];
  const bodies: Uint8Array[] = [];
  let chunk: Event[] = [];
  let room = new PageBudget(Infinity, budget);
  for (const event of events) {
    const size = encodedEventSize(event);
    if (!room.take(size)) {
      bodies.push(encodeNotify(chunk));
      chunk = [];
      room = new PageBudget(Infinity, budget);
      room.take(size);
    }
    chunk.push(event);
  }
  bodies.push(encodeNotify(chunk));
  return bodies;
}

/** The `MsgEventsNotify` messages carrying `events` (usually one), ready to send. */
export function notifyMessages(events: readonly Event[], budget: number): ChatterData[] {
  return notifyBodies(events, budget).map((body) => ({
    type: EventerMsgType.EventsNotify,
    data: body,
  }));
}
