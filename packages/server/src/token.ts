import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Hat's token rule (hat-event.md §3.8): a client without a token is accepted; a client with one
 * only when the server has a token and the two are equal. The comparison takes the same time
 * whatever the tokens are: both are hashed (SHA-256) and the equal-length digests compared with
 * `timingSafeEqual`, so neither a differing prefix nor a differing length shows in the timing.
 */
export function isClientTokenAccepted(
  clientToken: string | null,
  serverToken: string | null,
): boolean {
  if (clientToken === null) return true;
  // Compared even without a server token, so a refusal takes as long either way.
  const matches = timingSafeEqual(digest(clientToken), digest(serverToken ?? ''));
  return matches && serverToken !== null;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
