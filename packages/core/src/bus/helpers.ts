import type { Logger } from '../log/logger.js';
import { noopLogger } from '../log/logger.js';
import type { Bus, BusPublishOptions } from './bus.js';
import type { BusPayload } from './envelope.js';
import { topics } from './topics.js';

/**
 * Publishes without ever throwing (DECNET's `publish_safely`): a missing bus is a no-op, and any
 * error (even a bad topic) is logged as a warning. For code where a lost notification must never
 * break the caller.
 */
export function publishSafely(
  bus: Bus | null | undefined,
  topic: string,
  payload: BusPayload,
  options: BusPublishOptions & { readonly logger?: Logger } = {},
): void {
  if (bus === null || bus === undefined) return;
  try {
    bus.publish(topic, payload, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    (options.logger ?? noopLogger).warn('bus publish failed', { topic, reason });
  }
}

/** Options of {@link runHealthHeartbeat}. */
export interface HeartbeatOptions {
  /** Milliseconds between heartbeats (default 30,000). */
  readonly intervalMs?: number;
  /** Extra payload fields; a throw is logged and the base payload is still sent. */
  readonly extra?: () => BusPayload;
  readonly logger?: Logger;
  /** Stops the heartbeat. */
  readonly signal: AbortSignal;
}

/**
 * Publishes `system.<worker>.health` with `{ worker, ts, ...extra() }` and type `health` now and
 * then every `intervalMs` until `signal` aborts. With no bus it only waits. Never rejects.
 */
export async function runHealthHeartbeat(
  bus: Bus | null | undefined,
  worker: string,
  options: HeartbeatOptions,
): Promise<void> {
  const subject = topics.systemHealth(worker);
  const logger = options.logger ?? noopLogger;
  while (!options.signal.aborted) {
    let extra: BusPayload = {};
    try {
      extra = options.extra?.() ?? {};
    } catch (error) {
      logger.warn('heartbeat extra() failed', { worker, reason: String(error) });
    }
    const payload = { ...extra, worker, ts: Date.now() / 1000 };
    publishSafely(bus, subject, payload, { type: 'health', logger });
    await sleep(options.intervalMs ?? 30_000, options.signal);
  }
}

/**
 * Listens on `system.<worker>.control` until a `{ action: 'stop' }` arrives (resolves `'stop'`)
 * or `signal` aborts (resolves `'aborted'`). Other actions are logged at debug and ignored.
 * With no bus it waits for `signal`.
 */
export async function runControlListener(
  bus: Bus | null | undefined,
  worker: string,
  options: { readonly signal: AbortSignal; readonly logger?: Logger },
): Promise<'stop' | 'aborted'> {
  if (bus === null || bus === undefined) {
    await sleep(Number.POSITIVE_INFINITY, options.signal);
    return 'aborted';
  }
  const subscription = bus.subscribe(topics.systemControl(worker));
  const onAbort = (): void => void subscription.close();
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of subscription) {
      if (event.payload['action'] === 'stop') return 'stop';
      options.logger?.debug('control action ignored', { worker, action: event.payload['action'] });
    }
    return 'aborted';
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    await subscription.close();
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal.addEventListener('abort', done, { once: true });
  });
}
