import { invalidArgument } from '@eventum/core';
import type { Notification, Tracking } from '@eventum/core';

import { ConflictError } from '../errors.js';
import { makeMeta } from '../events.js';
import type { Recorded } from '../events.js';
import type { LeaderLog } from './leader-log.js';
import { ProcessingEvent } from './process-application.js';
import type { ProcessApplication } from './process-application.js';

/** Topic of the dead-letter record a follower writes for an event it gave up on. */
export const PARKED_TOPIC = 'eventum.EventParked';
/** Topic of the record that closes a dead letter (it was replayed or skipped). */
export const RESOLVED_TOPIC = 'eventum.ParkedEventResolved';
/** Topics of this prefix are the system's own records: followers never hand them to policies. */
export const SYSTEM_TOPIC_PREFIX = 'eventum.';

/** A dead letter: an upstream event a follower's policy failed on, after its retries. */
export interface ParkedEvent {
  readonly leader: string;
  readonly notificationId: number;
  /** The upstream event's type (topic) and id. */
  readonly topic: string;
  readonly eventId: string;
  readonly error: string;
  readonly attempts: number;
  readonly parkedAt: Date;
  /** `'replayed'` or `'skipped'` once resolved, else undefined. */
  readonly resolution: 'replayed' | 'skipped' | undefined;
}

type ParkedData = Omit<ParkedEvent, 'parkedAt' | 'resolution'>;

const streamOf = (leader: string, id: number): string => `eventum-parked:${leader}:${id}`;

/**
 * Writes the dead letter and the tracking record of `notification` in one transaction: the
 * follower moves on, and the event stays listed until replayed or skipped.
 */
export async function park(
  app: ProcessApplication,
  notification: Notification,
  tracking: Tracking,
  failure: { readonly error: string; readonly attempts: number },
): Promise<void> {
  const data: ParkedData = {
    leader: tracking.applicationName,
    notificationId: notification.id,
    topic: notification.topic,
    eventId: notification.eventId,
    ...failure,
  };
  const streamId = streamOf(data.leader, data.notificationId);
  const record: Recorded = { type: PARKED_TOPIC, data, meta: makeMeta(streamId, 1) };
  await app.events.put([record], { tracking });
}

/** Every dead letter of `app` (resolved ones with `resolveds`), oldest first. */
export async function listParked(
  app: ProcessApplication,
  options: { readonly includeResolved?: boolean } = {},
): Promise<ParkedEvent[]> {
  const recorder = app.events.recorder;
  const out: ParkedEvent[] = [];
  for (let start = 1; ;) {
    const page = await recorder.selectNotifications({ start, limit: 500, topics: [PARKED_TOPIC] });
    for (const n of page) {
      const parked = app.events.mapper.toDomain(n);
      const [last] = await app.events.get(n.originatorId, { desc: true, limit: 1 });
      const resolution =
        last?.meta.originatorVersion === 2
          ? (last.data as { resolution: 'replayed' | 'skipped' }).resolution
          : undefined;
      if (resolution === undefined || options.includeResolved === true)
        out.push({ ...(parked.data as ParkedData), parkedAt: parked.meta.timestamp, resolution });
    }
    if (page.length < 500) return out;
    start = page.at(-1)!.id + 1;
  }
}

/**
 * Runs the policy again on a parked event (after the cause was fixed) and stores its events
 * with the record that resolves the dead letter, in one transaction: a second replay, here or
 * in another process, is `ERR_CONFLICT` and stores nothing. A policy that fails again leaves
 * the event parked and rejects with its error.
 */
export async function replayParked(
  app: ProcessApplication,
  leader: LeaderLog,
  notificationId: number,
): Promise<number[]> {
  const [notification] = await leader.select(notificationId, 1, []);
  if (notification?.id !== notificationId)
    throw invalidArgument(`${leader.name} has no notification ${notificationId}`);
  const event = leader.toDomain(notification);
  const tracking = { applicationName: leader.name, notificationId };
  const processing = new ProcessingEvent(tracking, event);
  await app.policy(event, processing, leader.name);
  const resolved = resolution(leader.name, notificationId, 'replayed');
  return app.events.put([...processing.events, resolved]);
}

/** Closes a dead letter without processing it. `ERR_CONFLICT` when it was resolved already. */
export async function skipParked(
  app: ProcessApplication,
  leaderName: string,
  notificationId: number,
): Promise<void> {
  const [first] = await app.events.get(streamOf(leaderName, notificationId), { limit: 1 });
  if (first === undefined)
    throw invalidArgument(`no parked event ${notificationId} of ${leaderName}`);
  await app.events.put([resolution(leaderName, notificationId, 'skipped')]);
}

function resolution(leader: string, id: number, how: 'replayed' | 'skipped'): Recorded {
  const streamId = streamOf(leader, id);
  return { type: RESOLVED_TOPIC, data: { resolution: how }, meta: makeMeta(streamId, 2) };
}

/** True when `error` says the tracking record exists: the event was processed already. */
export function isAlreadyTracked(error: unknown): boolean {
  return error instanceof ConflictError && error.kind === 'tracking';
}
