import type { Resource } from '@eventum/core';

import { LifecycleState, processLifecycle } from './ion.js';
import type { Kind } from './kind.js';
import type { Notifier, Publisher } from './notifier.js';

/** Options of {@link openWithLifecycle}. */
export interface LifecycleOptions<R> {
  /**
   * Brings the opened resource into service; ACTIVE is announced once it resolves. Absent: the
   * resource is active as soon as it is open. If it throws, ERROR is announced, the resource is
   * closed and the error rethrown.
   */
  readonly activate?: (resource: R) => Promise<void> | void;
}

/**
 * Opens a `Resource` that announces its process lifecycle (ION's automatic process lifecycle
 * events) as `process-lifecycle` notifications with origin `origin`: READY once `open` resolved,
 * ACTIVE once `activate` did, then TERMINATED when it closes, or ERROR (the reason in
 * `description`) when `open` or `activate` fails or it closes because of a failure.
 *
 * The notifier's catalogue must hold `process-lifecycle` (ION's does). A bad origin throws
 * `NotificationError` before anything is opened. Announcements are fire-and-forget: one the bus
 * refuses (closed, strict) is lost, never thrown at the resource.
 */
export async function openWithLifecycle<R extends Resource>(
  notifier: Notifier<Kind>,
  origin: string,
  open: () => Promise<R>,
  options: LifecycleOptions<R> = {},
): Promise<R> {
  const publisher = notifier.publisher(processLifecycle, { origin });
  publisher.create({ state: LifecycleState.NEW });
  let resource: R;
  try {
    resource = await open();
  } catch (error) {
    announce(publisher, LifecycleState.ERROR, error);
    throw error;
  }
  announce(publisher, LifecycleState.READY);
  announceEnd(publisher, resource);
  try {
    await options.activate?.(resource);
  } catch (error) {
    // Closing with the failure makes `closed` carry it: the hook above announces ERROR once.
    await resource.close(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  if (!resource.isClosed) announce(publisher, LifecycleState.ACTIVE);
  return resource;
}

/** TERMINATED once `resource` closes, or ERROR when it closes because of a failure. */
function announceEnd(publisher: Publisher<typeof processLifecycle>, resource: Resource): void {
  void resource.closed.then((reason) => {
    const state = reason === undefined ? LifecycleState.TERMINATED : LifecycleState.ERROR;
    announce(publisher, state, reason);
  });
}

function announce(
  publisher: Publisher<typeof processLifecycle>,
  state: LifecycleState,
  reason?: unknown,
): void {
  const description = reason === undefined ? undefined : errorText(reason);
  try {
    publisher.publish(description === undefined ? { state } : { state, description });
  } catch {
    // Fire-and-forget, as the bus itself: a closed strict bus must not break the resource.
  }
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
