import type { Socket } from 'node:net';

/** Why a connection stops reading its socket. */
export type HoldReason = 'receive-queue' | 'pongs';

/**
 * Bytes waiting to be sent above which answering a `HatChatter.Ping` stops reading until the
 * socket drained. Without it a peer that sends pings and reads nothing makes the connection queue
 * pongs without bound, each a small write costing far more memory than its bytes.
 */
export const PONG_HOLD_BYTES = 64 * 1024;

export interface ReadGateHooks {
  /** Reading stopped (the connection suspends keep-alive: unread pongs are not the peer's fault). */
  readonly onHold: () => void;
  /** Reading started again. */
  readonly onRelease: () => void;
  /** False once the connection is closed: reading never resumes then. */
  readonly isOpen: () => boolean;
}

/**
 * Pauses reading a socket while any reason holds and resumes once none does: TCP back-pressure
 * on the peer.
 */
export class ReadGate {
  readonly #socket: Socket;
  readonly #hooks: ReadGateHooks;
  readonly #reasons = new Set<HoldReason>();

  constructor(socket: Socket, hooks: ReadGateHooks) {
    this.#socket = socket;
    this.#hooks = hooks;
  }

  isHeld(reason: HoldReason): boolean {
    return this.#reasons.has(reason);
  }

  hold(reason: HoldReason): void {
    if (this.#reasons.has(reason)) return;
    this.#reasons.add(reason);
    if (this.#reasons.size > 1) return;
    this.#socket.pause();
    this.#hooks.onHold();
  }

  /** Drops `reason`; reading resumes when no other reason holds and the connection is open. */
  release(reason: HoldReason): void {
    if (!this.#reasons.delete(reason) || this.#reasons.size > 0 || !this.#hooks.isOpen()) return;
    this.#socket.resume();
    this.#hooks.onRelease();
  }
}
