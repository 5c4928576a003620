import { GroupResource, Trigger, noopLogger, toError } from '@eventum/core';
import type { ActivityLease, Logger } from '@eventum/core';
import pg from 'pg';

/** Options of {@link createPostgresLease}. */
export interface PostgresLeaseOptions {
  /** The PostgreSQL that coordinates the group (any database the servers all reach). */
  readonly url: string;
  /** The group's name: servers with the same key compete for one lock. */
  readonly key: string;
  /** Pause between attempts to take the lock, and between checks that it is still held. */
  readonly checkPeriodMs?: number;
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Default pause between attempts and checks. */
export const DEFAULT_LEASE_CHECK_PERIOD_MS = 500;

/**
 * Opens an activity lease on a PostgreSQL session-level advisory lock
 * (`pg_try_advisory_lock(hashtext(key))`) held by a connection of its own: PostgreSQL grants it
 * to one session at a time and frees it when that session ends, including when its process is
 * killed or its connection drops. The lease keeps trying every `checkPeriodMs`; while held it
 * checks the connection as often and reports the lease lost (`held` false) the moment the
 * connection fails, since the lock may then already be someone else's.
 */
export function createPostgresLease(options: PostgresLeaseOptions): Promise<ActivityLease> {
  return Promise.resolve(new PostgresLease(options));
}

class PostgresLease extends GroupResource implements ActivityLease {
  readonly #options: PostgresLeaseOptions;
  readonly #logger: Logger;
  readonly #listeners = new Set<(held: boolean) => void>();
  readonly #timer = new Trigger();
  #held = false;

  constructor(options: PostgresLeaseOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.group.spawn((signal) => this.#run(signal));
  }

  get held(): boolean {
    return this.#held;
  }

  onChange(listener: (held: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const client = new pg.Client({
        connectionString: this.#options.url,
        connectionTimeoutMillis: this.#options.connectTimeoutMs ?? 10_000,
        application_name: `eventum-lease:${this.#options.key}`.slice(0, 63),
      });
      client.on('error', () => undefined); // the next statement fails and tells
      try {
        await client.connect();
        await this.#holdWhileConnected(client, signal);
      } catch (error) {
        if (!signal.aborted) {
          this.#logger.warn('activity lease connection failed', { error: toError(error).message });
        }
      } finally {
        this.#set(false);
        await client.end().catch(() => undefined);
      }
      if (!signal.aborted) await this.#pause(signal);
    }
  }

  /** Tries to take the lock until it has it, then checks the connection until it fails. */
  async #holdWhileConnected(client: pg.Client, signal: AbortSignal): Promise<void> {
    const key = this.#options.key;
    while (!signal.aborted) {
      if (!this.#held) {
        const result = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
          [key],
        );
        if (result.rows[0]?.locked === true) {
          this.#logger.info('activity lease taken', { key });
          this.#set(true);
        }
      } else {
        await client.query('SELECT 1');
      }
      await this.#pause(signal);
    }
  }

  #pause(signal: AbortSignal): Promise<void> {
    return this.#timer.wait(this.#options.checkPeriodMs ?? DEFAULT_LEASE_CHECK_PERIOD_MS, signal);
  }

  #set(held: boolean): void {
    if (this.#held === held) return;
    this.#held = held;
    if (!held) this.#logger.warn('activity lease lost or given up', { key: this.#options.key });
    for (const listener of this.#listeners) listener(held);
  }
}
