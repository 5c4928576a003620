import type { Notification, StoredEvent } from '@eventum/core';

import type { Application } from '../application.js';
import type { Recorded } from '../events.js';

/**
 * A followed application's log as a follower reads it: in this process (the leader's recorder),
 * over a MessageChannel (worker threads) or on a shared PostgreSQL database (other processes).
 */
export interface LeaderLog {
  readonly name: string;
  /**
   * True when ids have no gaps and ascend in commit order (memory, LMDB): then a prompt can
   * carry the notifications themselves and a follower processes them without reading. False
   * on PostgreSQL, whose ids have gaps and whose commits can finish out of id order: a prompt
   * only wakes the follower, which reads behind the visibility fence.
   */
  readonly gapless: boolean;
  /** Up to `limit` notifications with ids ≥ `start`, ascending (only `topics` when not empty). */
  select(start: number, limit: number, topics: readonly string[]): Promise<Notification[]>;
  /** The greatest id a reader can see now. */
  maxNotificationId(): Promise<number>;
  /** Decodes a notification with the leader's mapper (its cipher, compressor, upcasters). */
  toDomain(event: StoredEvent): Recorded;
}

/**
 * A leader's news, sent after each commit. `previousMax` is the leader's greatest id before
 * this commit as the sender saw it: a follower that has not reached it missed a prompt (a
 * gap) and reads the log instead of trusting `notifications`.
 */
export interface Prompt {
  readonly leader: string;
  readonly previousMax: number;
  readonly max: number;
  /** The committed notifications (push fast path), only from gapless logs. */
  readonly notifications?: readonly Notification[];
}

/** The log of an application in this process, read through its recorder. */
export function localLeaderLog(app: Application, gapless: boolean): LeaderLog {
  const recorder = app.events.recorder;
  return {
    name: app.name,
    gapless,
    select: (start, limit, topics) => recorder.selectNotifications({ start, limit, topics }),
    maxNotificationId: () => recorder.maxNotificationId(),
    toDomain: (event) => app.events.mapper.toDomain(event),
  };
}

/**
 * Turns an application's commits into prompts: `send` is called after each commit with the
 * previous max and the new one. The notifications ride along when `push` is set (gapless logs).
 * Returns the unsubscribe.
 */
export function promptOnCommit(
  app: Application,
  push: boolean,
  send: (prompt: Prompt) => void | Promise<void>,
): () => void {
  let previousMax: number | undefined;
  return app.events.onCommit(async (notifications) => {
    const max = notifications.at(-1)!.id;
    previousMax ??= notifications[0]!.id - 1;
    const prompt: Prompt = push
      ? { leader: app.name, previousMax, max, notifications }
      : { leader: app.name, previousMax, max };
    previousMax = Math.max(previousMax, max);
    await send(prompt);
  });
}
