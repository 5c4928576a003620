import { connect } from 'node:net';

/** Where the integration tests find PostgreSQL and NATS (overridable by environment). */
export const testPgUrl =
  process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testNatsUrl = process.env['EVENTUM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** True when a TCP connection to `url`'s host and port succeeds within `timeoutMs`. */
export function isReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides whether a test that needs `service` at `url` runs: returns `false` (skip, with the
 * reason given to `skip`) when it is unreachable, but throws under `CI=true`, where every service
 * must be there.
 */
export async function requireService(
  service: string,
  url: string,
  skip: (reason: string) => void,
): Promise<boolean> {
  if (await isReachable(url)) return true;
  const reason = `${service} is not reachable at ${url}`;
  if (process.env['CI'] === 'true') throw new Error(`${reason} (required under CI=true)`);
  skip(reason);
  return false;
}
