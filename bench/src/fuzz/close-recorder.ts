/**
 * Records why the server closed each of its chatter connections. The server does not expose its
 * connections, so the recorder wraps `ChatterConnection.prototype.close` (the one path every
 * close takes, whoever starts it) for the time of a run and keeps the first reason given to each
 * server-side connection, keyed by the client's port. The wrapper only observes: it calls the
 * real `close` with the same arguments.
 */
import { ChatterConnection } from '@eventum/client';

/** The first reason a connection was closed with: `null` for an orderly close. */
export type CloseReason = Error | null;

export class CloseRecorder {
  readonly #reasons = new Map<number, CloseReason>();
  // Put back on the prototype by stop(), and only ever called with `.call(connection)`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  readonly #original = ChatterConnection.prototype.close;

  /** Starts recording the connections accepted on `serverPort` (until `stop()`). */
  constructor(serverPort: number) {
    const reasons = this.#reasons;
    const original = this.#original;
    ChatterConnection.prototype.close = function (this: ChatterConnection, reason?: Error) {
      const { localPort, remotePort } = this.info;
      if (!this.isClosed && localPort === serverPort && !reasons.has(remotePort)) {
        reasons.set(remotePort, reason ?? null);
      }
      return original.call(this, reason);
    };
  }

  /** Removes and returns the reason recorded for the client on `clientPort`; waits up to
   * `waitMs` for it (the server may learn of the close after the client). */
  async take(clientPort: number, waitMs = 2000): Promise<CloseReason | undefined> {
    for (let waited = 0; !this.#reasons.has(clientPort) && waited < waitMs; waited += 5) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reason = this.#reasons.get(clientPort);
    this.#reasons.delete(clientPort);
    return reason;
  }

  /** Puts the real `close` back. */
  stop(): void {
    ChatterConnection.prototype.close = this.#original;
  }
}
