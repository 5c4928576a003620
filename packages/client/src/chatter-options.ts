import { DEFAULT_MAX_FRAME_SIZE, invalidArgument } from '@eventum/core';

/** Hat's default keep-alive delay: a ping after 20 s without receiving anything. */
export const DEFAULT_PING_DELAY_MS = 20_000;
/** Hat's default keep-alive timeout: close when 20 s pass after a ping with nothing received. */
export const DEFAULT_PING_TIMEOUT_MS = 20_000;
/** Hat's receive queue size: messages held for `receive()` before the socket is paused. */
export const DEFAULT_RECEIVE_QUEUE_SIZE = 1024;
/** Bytes waiting in the socket above which {@link ChatterConnection.isSendQueueFull} is true. */
export const DEFAULT_MAX_SEND_QUEUE_BYTES = 16 * 1024 * 1024;
/** How long an orderly `close()` waits for the socket to flush and close before destroying it. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** Options of a chatter connection (hat-event.md §2.1). All durations are in milliseconds. */
export interface ChatterOptions {
  /** Send `HatChatter.Ping` after this long without receiving anything; 0 disables keep-alive
   * (default {@link DEFAULT_PING_DELAY_MS}). */
  readonly pingDelayMs?: number;
  /** After a ping, close with `ERR_TIMEOUT` if nothing arrives within this long (default
   * {@link DEFAULT_PING_TIMEOUT_MS}). */
  readonly pingTimeoutMs?: number;
  /** Largest frame body accepted; a larger one closes the connection with `ERR_PROTOCOL`
   * (default `DEFAULT_MAX_FRAME_SIZE` of core, 64 MiB). */
  readonly maxFrameSize?: number;
  /** Received messages held for `receive()`; when full the socket is paused (default
   * {@link DEFAULT_RECEIVE_QUEUE_SIZE}). */
  readonly receiveQueueSize?: number;
  /** Send-queue bound in bytes: informs `isSendQueueFull`; sending never blocks or fails because
   * of it (default {@link DEFAULT_MAX_SEND_QUEUE_BYTES}). */
  readonly maxSendQueueBytes?: number;
  /** Grace period of an orderly close (default {@link DEFAULT_CLOSE_TIMEOUT_MS}). */
  readonly closeTimeoutMs?: number;
}

/** {@link ChatterOptions} with every default filled in. */
export type ResolvedChatterOptions = Required<ChatterOptions>;

/** Fills in defaults and checks ranges; throws `ERR_INVALID_ARGUMENT` naming the option. */
export function resolveChatterOptions(options: ChatterOptions): ResolvedChatterOptions {
  const resolved: ResolvedChatterOptions = {
    pingDelayMs: options.pingDelayMs ?? DEFAULT_PING_DELAY_MS,
    pingTimeoutMs: options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS,
    maxFrameSize: options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    receiveQueueSize: options.receiveQueueSize ?? DEFAULT_RECEIVE_QUEUE_SIZE,
    maxSendQueueBytes: options.maxSendQueueBytes ?? DEFAULT_MAX_SEND_QUEUE_BYTES,
    closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
  };
  checkInteger('pingDelayMs', resolved.pingDelayMs, 0, MAX_TIMER_MS);
  checkInteger('pingTimeoutMs', resolved.pingTimeoutMs, 1, MAX_TIMER_MS);
  checkInteger('maxFrameSize', resolved.maxFrameSize, 1);
  checkInteger('receiveQueueSize', resolved.receiveQueueSize, 1);
  checkInteger('maxSendQueueBytes', resolved.maxSendQueueBytes, 1);
  checkInteger('closeTimeoutMs', resolved.closeTimeoutMs, 0, MAX_TIMER_MS);
  return resolved;
}

/** Longest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Throws `ERR_INVALID_ARGUMENT` unless `value` is an integer in `[min, max]`. */
export function checkInteger(
  name: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
