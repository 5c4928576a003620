import { GroupResource, Status, noopLogger, toError } from '@eventum/core';
import type { ActivityLease, Backend, Logger, RegisterEvent } from '@eventum/core';

import { SourceType } from './source.js';
import type { Peer } from './syncer.js';
import { Syncer } from './syncer.js';

/**
 * Decides when the engine may run: {@link EngineRunnerOptions.gate}. `whenInactive` resolves
 * at once when the engine may not run now.
 */
export interface ActivityGate {
  /** Resolves once the engine may run (or when `signal` aborts). */
  waitActive(signal: AbortSignal): Promise<void>;
  /** Resolves once the engine must stop. */
  whenInactive(): Promise<void>;
}

/** Options of {@link Redundancy}. */
export interface RedundancyOptions {
  readonly serverId: number;
  readonly name: string;
  readonly token: string | null;
  readonly backend: Backend;
  readonly peers: readonly Peer[];
  /** Owned: closed with the redundancy. */
  readonly lease: ActivityLease;
  readonly logger?: Logger;
  readonly reconnectDelayMs?: number;
  /** Registers with the running engine (synced-state events), if any. */
  readonly register: (source: { type: 'server'; id: 0 }, events: readonly RegisterEvent[]) => void;
}

/**
 * Hat's redundancy (hat-event.md §3.10) with an activity lease instead of Hat's monitor: a
 * syncer per peer keeps the local backend caught up with the peer's persisted events, and the
 * engine may run while this server holds the lease and no connected peer reports a status other
 * than `standby` (Hat's `remote_active`). A new active therefore starts its engine only after
 * the old one announced `standby` (having flushed, so its persisted events came first on the same
 * connection) or after its connection ended (every notification it sent already handled).
 */
export class Redundancy extends GroupResource implements ActivityGate {
  readonly #options: RedundancyOptions;
  readonly #logger: Logger;
  readonly #statuses = new Map<number, Status | null>();
  readonly #listeners = new Set<() => void>();

  constructor(options: RedundancyOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    const unlisten = options.lease.onChange(() => this.#changed());
    for (const peer of options.peers) {
      const syncer = new Syncer({
        peer,
        serverId: options.serverId,
        name: options.name,
        token: options.token,
        backend: options.backend,
        logger: this.#logger.child({ component: 'syncer' }),
        ...(options.reconnectDelayMs === undefined
          ? {}
          : { reconnectDelayMs: options.reconnectDelayMs }),
        onStatus: (id, status) => {
          this.#statuses.set(id, status);
          this.#changed();
        },
        onSynced: (events) => options.register({ type: SourceType.Server, id: 0 }, events),
      });
      this.group.adopt(syncer);
    }
    this.group.onClose(async () => {
      unlisten();
      this.#changed();
      await options.lease.close();
    });
  }

  /** True while this server may run its engine. */
  get active(): boolean {
    if (this.isClosed || !this.#options.lease.held) return false;
    for (const status of this.#statuses.values()) {
      if (status !== null && status !== Status.Standby) return false;
    }
    return true;
  }

  waitActive(signal: AbortSignal): Promise<void> {
    return this.#until(() => this.active || signal.aborted, signal);
  }

  whenInactive(): Promise<void> {
    return this.#until(() => !this.active);
  }

  #until(done: () => boolean, signal?: AbortSignal): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        this.#listeners.delete(check);
        signal?.removeEventListener('abort', check);
        resolve();
      };
      this.#listeners.add(check);
      signal?.addEventListener('abort', check, { once: true });
    });
  }

  #changed(): void {
    this.#logger.debug('redundancy', { active: this.active, lease: this.#options.lease.held });
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#logger.error('redundancy listener failed', { error: toError(error).message });
      }
    }
  }
}
