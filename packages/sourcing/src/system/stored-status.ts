import type { Application } from '../application.js';
import type { FollowerStatus } from './follower.js';
import { listParked } from './parked.js';
import type { ProcessApplication } from './process-application.js';
import type { System } from './system.js';

/** A follower's status read from storage, with its dead letters. */
export interface StoredStatus extends Omit<FollowerStatus, 'state'> {
  readonly state: 'caught-up' | 'behind';
  /** Dead letters not replayed or skipped yet. */
  readonly parked: number;
}

const LAG_CAP = 10_000;

/**
 * Every follower's position (its greatest tracking record of each leader), the leader's max,
 * the lag (matching notifications after the position, counted up to 10,000) and its parked
 * events, read from the applications' storage: from any process that can open them (shared
 * PostgreSQL), whether the followers run or not. Whether a follower is stopped lives in its
 * process only, so it is not reported here.
 */
export async function storedStatus(
  system: System,
  open: (name: string) => Promise<Application>,
): Promise<StoredStatus[]> {
  const out: StoredStatus[] = [];
  for (const name of system.followers) {
    const app = (await open(name)) as ProcessApplication;
    const topics = (app.constructor as typeof ProcessApplication).followTopics;
    const parked = await listParked(app);
    for (const leaderName of system.follows(name)) {
      const leader = (await open(leaderName)).events.recorder;
      const position = await app.events.recorder.maxTrackingId(leaderName);
      const leaderMax = await leader.maxNotificationId();
      const ahead = await leader.selectNotifications({
        start: position + 1,
        limit: LAG_CAP,
        topics,
      });
      out.push({
        application: name,
        leader: leaderName,
        position,
        leaderMax,
        lag: ahead.length,
        state: ahead.length === 0 ? 'caught-up' : 'behind',
        parked: parked.filter((p) => p.leader === leaderName).length,
      });
    }
  }
  return out;
}
