import { newEnvelopeId } from '@eventum/core';

/**
 * Envelope ids of the notifications this process publishes: a random prefix drawn once per
 * process (64 bits) and a counter (16 hex digits), 32 hex characters like every envelope id, and cheaper to make
 * than 128 fresh random bits.
 *
 * The prefix also tells a notifier that a notification came from a notifier of this very process:
 * on the in-process bus such a payload is the object that notifier built and validated, never
 * encoded, so the receipt check need not validate it again (docs/notify.md). Nothing outside the
 * process learns the prefix before it sees such an id, and a message that crossed a network is
 * always validated in full.
 */
const prefix = newEnvelopeId().slice(0, 16);
// A small integer while it fits one (2^30 on 32-bit builds of V8); its hex text is quick to make.
let counter = 0;

/** A fresh id for a notification published by this process. */
export function nextNotificationId(): string {
  counter++;
  return prefix + counter.toString(16).padStart(16, '0');
}

/** True when `id` was made by {@link nextNotificationId} in this process. */
export function publishedHere(id: string): boolean {
  return id.startsWith(prefix);
}
