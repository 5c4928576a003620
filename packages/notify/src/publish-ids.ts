import { newEnvelopeId } from '@eventum/core';

/**
 * Envelope ids of the notifications this process publishes: a random prefix drawn once per
 * process (64 bits) and a counter (16 hex digits), 32 hex characters like every envelope id, and
 * cheaper to make than 128 fresh random bits.
 */
const prefix = newEnvelopeId().slice(0, 16);

// The counter is `high * 256 + low`. An id is the text of its high part (made once per 256 ids)
// and one of 256 two-digit strings: one concatenation, where writing the counter in hex and
// padding it took three new strings and most of the id's cost (docs/notify.md, Performance).
const LOW_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let low = 0;
let high = 0;
let highText = idHigh(high);

/** The first 30 characters of the ids whose counter's high part is `value`. */
function idHigh(value: number): string {
  return prefix + value.toString(16).padStart(14, '0');
}

/** A fresh id for a notification published by this process. */
export function nextNotificationId(): string {
  if (++low === 256) {
    low = 0;
    highText = idHigh(++high);
  }
  return highText + (LOW_DIGITS[low] as string);
}
