import type { Backend, Logger } from '@eventum/core';

/** Default number of session ids the engine reserves durably at a time. */
export const DEFAULT_SESSION_RESERVATION = 10_000;

/**
 * A sequence cache for session ids (docs/operations/durability.md): before the engine hands out
 * session `s`, the backend has durably recorded a reserved ceiling `≥ s`; after a crash the next
 * engine starts above that ceiling, so ids whose events the crash lost are never given to other
 * events. A new block of `blockSize` sessions is reserved in the background once half of the
 * current one is used, so a session waits for the backend only when it outruns the reservation.
 * A clean shutdown gives back the unused rest ({@link release}), so clean restarts leave no gap.
 * Backends without `reserveSessions` (nothing survives their restart) reserve nothing.
 */
export class SessionReservation {
  readonly #backend: Backend;
  readonly #serverId: number;
  readonly #blockSize: number;
  #ceiling: number;
  #pending: Promise<void> | null = null;

  private constructor(backend: Backend, serverId: number, blockSize: number, ceiling: number) {
    this.#backend = backend;
    this.#serverId = serverId;
    this.#blockSize = blockSize;
    this.#ceiling = ceiling;
  }

  /**
   * Reads the stored reservation; returns it with the last session already used (the greater of
   * `lastStoredSession` and the reserved ceiling). Logs a warning when the ceiling is above the
   * last stored session: sessions in between were handed out and their events lost in a crash
   * (or never stored), and are skipped.
   */
  static async load(
    backend: Backend,
    serverId: number,
    lastStoredSession: number,
    blockSize: number,
    logger: Logger,
  ): Promise<{ reservation: SessionReservation; lastSession: number }> {
    const reserved = (await backend.getReservedSession?.(serverId)) ?? 0;
    if (reserved > lastStoredSession) {
      logger.warn('skipping session ids reserved but not stored (lost in a crash?)', {
        lastStoredSession,
        reservedSession: reserved,
      });
    }
    const lastSession = Math.max(reserved, lastStoredSession);
    const reservation = new SessionReservation(backend, serverId, blockSize, lastSession);
    return { reservation, lastSession };
  }

  /**
   * Resolves once `session` is within the durable reservation (reserving ahead as needed).
   * Returns `undefined` when it already is: the engine asks once per session, and almost always
   * needs no promise.
   */
  ensure(session: number): Promise<void> | undefined {
    if (this.#backend.reserveSessions === undefined) return undefined;
    if (this.#pending === null && session > this.#ceiling - this.#blockSize / 2) {
      this.#reserve(Math.max(session, this.#ceiling) + this.#blockSize);
    }
    return session > this.#ceiling ? this.#wait(session) : undefined;
  }

  async #wait(session: number): Promise<void> {
    while (session > this.#ceiling) await this.#next();
  }

  /** Gives back the sessions above `lastSession` (a clean shutdown); waits for any reservation. */
  async release(lastSession: number): Promise<void> {
    if (this.#backend.reserveSessions === undefined) return;
    if (this.#pending !== null) await this.#pending;
    await this.#backend.reserveSessions(this.#serverId, lastSession);
    this.#ceiling = lastSession;
  }

  async #next(): Promise<void> {
    if (this.#pending === null) this.#reserve(this.#ceiling + this.#blockSize);
    await this.#pending;
  }

  #reserve(ceiling: number): void {
    const write = (this.#backend.reserveSessions as NonNullable<Backend['reserveSessions']>)(
      this.#serverId,
      ceiling,
    );
    const pending: Promise<void> = write.then(
      () => {
        this.#ceiling = Math.max(this.#ceiling, ceiling);
        if (this.#pending === pending) this.#pending = null;
      },
      (error: unknown) => {
        if (this.#pending === pending) this.#pending = null;
        throw error;
      },
    );
    // A background reservation that fails is reported by the next `ensure` that waits for it.
    pending.catch(() => undefined);
    this.#pending = pending;
  }
}
