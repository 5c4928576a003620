import { Status } from '@eventum/core';
import type { EventerClient } from '@eventum/client';

/** How long `eventum register` waits for a starting server's engine before registering. */
export const OPERATIONAL_WAIT_MS = 10_000;

/**
 * Resolves once the server's status is `operational`, or after `timeoutMs` (whatever the status
 * then). A server refuses registrations until its engine runs, and one that was just started may
 * still be opening its storage: waiting turns that race into a short pause.
 */
export async function untilOperational(client: EventerClient, timeoutMs: number): Promise<void> {
  const statuses = client.statuses();
  const timer = setTimeout(() => void statuses.return?.(), timeoutMs);
  try {
    if (client.status === Status.Operational) return;
    for await (const status of statuses) if (status === Status.Operational) return;
  } finally {
    clearTimeout(timer);
    await statuses.return?.();
  }
}
