import { compareEventIds, toError } from '@eventum/core';
import type { Event, EventId, Logger } from '@eventum/core';
import pg from 'pg';

import { eventOf } from './rows.js';

/** Longest pause between attempts to listen again after the connection was lost. */
const RECONNECT_DELAY_MS = 1000;
/** Events read per catch-up query. */
const CATCH_UP_ROWS = 4096;

/** How {@link OtherServers} reaches the database and reports events. */
export interface OtherServersOptions {
  readonly url: string;
  readonly connectTimeoutMs: number;
  /** The quoted schema. */
  readonly t: string;
  readonly channel: string;
  /** This backend's id in `NOTIFY` payloads: its own flushes are not read back. */
  readonly origin: string;
  readonly logger: Logger;
  /** Called with each session of another server's events, in id order, once stored. */
  readonly onEvents: (events: readonly Event[]) => void;
}

/**
 * Follows the events other servers store in the same schema: a dedicated connection `LISTEN`s
 * on the schema's channel; each flush of another backend `NOTIFY`s (on commit) the origin
 * servers it advanced, and this reads their events past the last one it saw, in id order. A lost
 * connection is opened again (every second) and then reads what it missed meanwhile. So
 * notifications are late by the other server's flush period plus one query, never lost while
 * this backend runs; events stored before it started are not reported.
 */
export class OtherServers {
  readonly #options: OtherServersOptions;
  /** The greatest id reported (or stored by this backend) per origin server. */
  readonly #seen = new Map<number, EventId>();
  #client: pg.Client | null = null;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: OtherServersOptions) {
    this.#options = options;
  }

  /** Starts listening; resolves once the first `LISTEN` is in place (or failed, then retried). */
  async start(): Promise<void> {
    const known = await this.#listen();
    if (known !== null) for (const [server, id] of known) this.#seen.set(server, id);
  }

  /** Records events this backend stored itself, so they are never reported again. */
  stored(server: number, last: EventId): void {
    const seen = this.#seen.get(server);
    if (seen === undefined || compareEventIds(seen, last) < 0) this.#seen.set(server, last);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
    await this.#chain;
  }

  /** Connects and listens; returns every origin's last id, or null when it failed. */
  async #listen(): Promise<Map<number, EventId> | null> {
    const { url, connectTimeoutMs, channel, t } = this.#options;
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
    });
    client.on('error', () => undefined); // `end` below tells
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      client.on('notification', (message) => this.#notified(message.payload ?? ''));
      await client.query(`LISTEN "${channel}"`);
      const rows = await client.query<{
        server_id: string;
        session_id: string;
        instance_id: string;
      }>(`SELECT server_id, session_id, instance_id FROM ${t}.servers`);
      if (this.#closed) {
        await client.end();
        return null;
      }
      this.#client = client;
      return new Map(
        rows.rows.map((r) => {
          const server = Number(r.server_id);
          return [
            server,
            { server, session: Number(r.session_id), instance: Number(r.instance_id) },
          ];
        }),
      );
    } catch (error) {
      this.#options.logger.warn('cannot listen for other servers; retrying', {
        error: toError(error).message,
      });
      await client.end().catch(() => undefined);
      this.#retry();
      return null;
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = null;
    this.#options.logger.warn('lost the connection listening for other servers; reconnecting');
    this.#retry();
  }

  #retry(): void {
    if (this.#closed || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#listen().then((known) => {
        // Whatever was stored while nobody listened: every origin past what it last saw.
        if (known !== null) for (const server of known.keys()) this.#schedule(server);
      });
    }, RECONNECT_DELAY_MS);
  }

  #notified(payload: string): void {
    let message: { origin?: unknown; servers?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return; // not ours
    }
    if (message.origin === this.#options.origin || !Array.isArray(message.servers)) return;
    for (const server of message.servers) if (typeof server === 'number') this.#schedule(server);
  }

  /** Reads `server`'s new events after whatever reading is already queued. */
  #schedule(server: number): void {
    this.#chain = this.#chain
      .then(() => this.#catchUp(server))
      .catch((error: unknown) => {
        this.#options.logger.warn('reading other servers’ events failed', {
          server,
          error: toError(error).message,
        });
      });
  }

  async #catchUp(server: number): Promise<void> {
    for (;;) {
      const client = this.#client;
      if (client === null || this.#closed) return;
      const after = this.#seen.get(server) ?? { server, session: 0, instance: 0 };
      const result = await client.query<{ encoded: Buffer }>(
        `SELECT encoded FROM ${this.#options.t}.events
          WHERE server_id = $1 AND (session_id, instance_id) > ($2, $3)
          ORDER BY session_id, instance_id LIMIT ${CATCH_UP_ROWS}`,
        [server, after.session, after.instance],
      );
      const events = result.rows.map((row) => eventOf(row.encoded));
      if (events.length === 0) return;
      this.stored(server, events.at(-1)!.id);
      for (const session of bySession(events)) this.#options.onEvents(session);
      if (events.length < CATCH_UP_ROWS) return;
    }
  }
}

function bySession(events: readonly Event[]): Event[][] {
  const out: Event[][] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last !== undefined && last[0]!.id.session === event.id.session) last.push(event);
    else out.push([event]);
  }
  return out;
}
