import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import { GroupResource, Status, compareEventIds, noopLogger, toError } from '@eventum/core';
import type { Backend, Event, EventId, JsonValue, Logger, RegisterEvent } from '@eventum/core';

import { whenAborted } from './abort.js';

/** A peer of a redundant group (Hat's monitor data of another server). */
export interface Peer {
  readonly serverId: number;
  readonly host: string;
  readonly port: number;
}

/** Hat's synced states (`event/<local>/synced/<remote>` payloads). */
export type SyncedState = 'CONNECTED' | 'SYNCING' | 'SYNCED';

/** Options of {@link Syncer}. */
export interface SyncerOptions {
  readonly peer: Peer;
  readonly serverId: number;
  /** This server's name: the syncer connects as `event/<name>`. */
  readonly name: string;
  /** Sent as the client token (the peer must have the same `server_token`). */
  readonly token: string | null;
  readonly backend: Backend;
  readonly logger?: Logger;
  /** Delay before connecting again (Hat's `reconnect_delay`, 5 s). */
  readonly reconnectDelayMs?: number;
  /** The peer's status changed (`null`: not connected). */
  readonly onStatus: (peer: number, status: Status | null) => void;
  /** Registers a synced-state event with the local engine, when one runs. */
  readonly onSynced: (events: readonly RegisterEvent[]) => void;
}

/** Catch-up page size (Hat's server query default). */
const PAGE = 4096;

/**
 * Hat's syncer (hat-event.md §3.10), one per peer: connects as `event/<name>` to the peer, asks
 * for the peer's own events once persisted (`serverId`, `persisted: true`), catches up with
 * server queries from the last id the local backend holds of that server, then follows the
 * notifications, registering every event into the local backend directly (not through the
 * engine). Reports CONNECTED, SYNCING and SYNCED (with the count) on the peer and to the local
 * engine. Reconnects after `reconnectDelayMs` while open. Notifications and status changes of a
 * connection are handled in the order the peer sent them, so a peer's STANDBY is seen only after
 * the events it persisted before.
 */
export class Syncer extends GroupResource {
  readonly #options: SyncerOptions;
  readonly #logger: Logger;

  constructor(options: SyncerOptions) {
    super();
    this.#options = options;
    this.#logger = (options.logger ?? noopLogger).child({ peer: options.peer.serverId });
    this.group.spawn((signal) => this.#run(signal));
  }

  async #run(signal: AbortSignal): Promise<void> {
    const aborted = whenAborted(signal);
    while (!signal.aborted) {
      try {
        await this.#session(signal);
      } catch (error) {
        if (!signal.aborted) {
          this.#logger.warn('syncer disconnected', { error: toError(error).message });
        }
      }
      this.#options.onStatus(this.#options.peer.serverId, null);
      const delay = this.#options.reconnectDelayMs ?? 5000;
      await Promise.race([aborted, new Promise((resolve) => setTimeout(resolve, delay))]);
    }
  }

  /** One connection: catch up, then follow until it closes. */
  async #session(signal: AbortSignal): Promise<void> {
    const { peer, backend } = this.#options;
    let live: ((events: readonly Event[]) => Promise<void>) | null = null;
    const buffered: Event[] = [];
    const client = await connect({
      host: peer.host,
      port: peer.port,
      clientName: `event/${this.#options.name}`,
      clientToken: this.#options.token,
      subscriptions: [['*']],
      serverId: peer.serverId,
      persisted: true,
      onEvents: (events) => (live === null ? void buffered.push(...events) : live(events)),
    });
    const stop = (): void => void client.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.#followStatus(client);
      let last = await backend.getLastEventId(peer.serverId);
      this.#synced(client, 'CONNECTED');
      const count = await this.#catchUp(
        client,
        () => last,
        (id) => (last = id),
      );
      const fresh = buffered.filter((e) => compareEventIds(e.id, last) > 0);
      if (fresh.length > 0) last = await this.#store(fresh);
      live = async (events) => {
        const newer = events.filter((e) => compareEventIds(e.id, last) > 0);
        if (newer.length > 0) last = await this.#store(newer);
      };
      this.#synced(client, 'SYNCED', count);
      this.#logger.info('synced with peer', { count });
      await client.closed;
    } finally {
      signal.removeEventListener('abort', stop);
      await client.close();
    }
  }

  /** Reports the peer's status now and on every change, in the order the peer sent them. */
  #followStatus(client: EventerClient): void {
    const { onStatus, peer } = this.#options;
    onStatus(peer.serverId, client.status);
    void (async () => {
      for await (const status of client.statuses()) {
        onStatus(peer.serverId, status);
        // Hat: a peer turning operational hears the last state again (SYNCED, count null).
        if (status === Status.Operational) this.#synced(client, 'SYNCED', null);
      }
    })();
  }

  /** Pages through the peer's persisted events after `last`; returns how many were stored. */
  async #catchUp(
    client: EventerClient,
    last: () => EventId,
    setLast: (id: EventId) => void,
  ): Promise<number> {
    const serverId = this.#options.peer.serverId;
    let pending: Event[] = [];
    let count = 0;
    let syncing = false;
    for (let more = true; more;) {
      const params = { type: 'server' as const, serverId, persisted: true, maxResults: PAGE };
      const page = await client.query({ ...params, lastEventId: last() });
      if (page.events.length > 0 && !syncing) {
        syncing = true;
        this.#synced(client, 'SYNCING');
      }
      pending.push(...page.events);
      more = page.moreFollows && page.events.length > 0;
      if (page.events.length > 0) setLast(page.events.at(-1)!.id);
      // Complete sessions go now; the last one may continue on the next page.
      const trailing = more ? pending.at(-1)!.id.session : Infinity;
      const complete = pending.filter((e) => e.id.session !== trailing);
      pending = pending.filter((e) => e.id.session === trailing);
      if (complete.length > 0) count += await this.#storeCount(complete);
    }
    return count + (pending.length > 0 ? await this.#storeCount(pending) : 0);
  }

  async #store(events: readonly Event[]): Promise<EventId> {
    await this.#storeCount(events);
    return events.at(-1)!.id;
  }

  async #storeCount(events: readonly Event[]): Promise<number> {
    const stored = await this.#options.backend.register(events);
    if (stored === null) throw new Error('the local backend refused synced events');
    return events.length;
  }

  /** Registers the synced state on the peer (fire-and-forget) and with the local engine. */
  #synced(client: EventerClient, state: SyncedState, count?: number | null): void {
    const { serverId, peer } = this.#options;
    const data: Record<string, JsonValue> = { state };
    if (state === 'SYNCED') data['count'] = count ?? null;
    const event: RegisterEvent = {
      type: ['event', String(serverId), 'synced', String(peer.serverId)],
      payload: { type: 'json', data },
    };
    void client.register([event]).catch(() => undefined);
    this.#options.onSynced([event]);
  }
}
