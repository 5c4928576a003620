import { GroupResource, invalidArgument, noopLogger } from '@eventum/core';
import type { Logger } from '@eventum/core';
import pg from 'pg';

import { throwIfAborted } from '../abort.js';
import { backendError } from '../errors.js';
import type { Prompt } from '../system/leader-log.js';
import { tableNames } from './schema.js';

/** Options of {@link createPostgresWake}. */
export interface PostgresWakeOptions {
  readonly url: string;
  /** The schema of the applications' tables (default `public`): channels are per schema. */
  readonly schema?: string;
  readonly logger?: Logger;
}

/** The LISTEN/NOTIFY channel of application `name`'s prompts in `schema`. */
export function wakeChannel(schema: string, name: string): string {
  const { schema: s } = tableNames(schema, name);
  const channel = `eventum_${s}_${name.toLowerCase()}`;
  if (channel.length > 63) throw invalidArgument(`channel ${channel} is longer than 63 bytes`);
  return channel;
}

/**
 * Prompts over PostgreSQL's LISTEN/NOTIFY: followers in other processes are woken by the
 * database they already use, without a bus. One connection listens and notifies. Notifying is
 * coalesced (one NOTIFY in flight; prompts sent meanwhile are merged into the next, which
 * carries the newest max), so a burst of commits costs a few round trips, not one each.
 * At most once, like NATS core: a notification sent while a follower reconnects is lost, and
 * its safety timer catches up. When the connection fails, the resource closes with the
 * reason; the followers keep their other wake-ups.
 */
export async function createPostgresWake(options: PostgresWakeOptions): Promise<PostgresWake> {
  const client = new pg.Client({ connectionString: options.url });
  try {
    await client.connect();
  } catch (error) {
    throw backendError('LISTEN/NOTIFY connection', error);
  }
  return new PostgresWake(client, options);
}

export class PostgresWake extends GroupResource {
  readonly #client: pg.Client;
  readonly #schema: string;
  readonly #logger: Logger;
  readonly #listeners = new Map<string, (prompt: Prompt) => void>();
  readonly #pending = new Map<string, Prompt>();
  #sending = false;

  constructor(client: pg.Client, options: PostgresWakeOptions) {
    super();
    this.#client = client;
    this.#schema = options.schema ?? 'public';
    this.#logger = options.logger ?? noopLogger;
    client.on('notification', (n) => this.#received(n.channel, n.payload));
    client.on('error', (error) => void this.close(backendError('LISTEN/NOTIFY connection', error)));
    this.group.onClose(() => client.end().catch(() => undefined));
  }

  /** Runs a statement on this resource's connection. */
  async query(text: string, values: unknown[]): Promise<void> {
    await this.#client.query(text, values);
  }

  /** Hands the prompts of application `leader` to `receive`; resolves once listening. */
  async listen(leader: string, receive: (prompt: Prompt) => void): Promise<void> {
    const channel = wakeChannel(this.#schema, leader);
    this.#listeners.set(channel, receive);
    await this.#client.query(`LISTEN "${channel}"`);
  }

  /** Sends `prompt` to the followers of its leader (coalesced; never throws). */
  notify(prompt: Prompt): void {
    if (this.isClosed) return;
    const channel = wakeChannel(this.#schema, prompt.leader);
    const { leader, max } = prompt;
    const earlier = this.#pending.get(channel);
    const previousMax = earlier?.previousMax ?? prompt.previousMax;
    this.#pending.set(channel, { leader, previousMax, max: Math.max(max, earlier?.max ?? 0) });
    if (!this.#sending) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending.size > 0 && !this.isClosed) {
        const [channel, prompt] = this.#pending.entries().next().value!;
        this.#pending.delete(channel);
        await this.#client.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify(prompt)]);
      }
    } catch (error) {
      this.#logger.warn('NOTIFY failed', { error: (error as Error).message });
    } finally {
      this.#sending = false;
    }
  }

  #received(channel: string, payload: string | undefined): void {
    const receive = this.#listeners.get(channel);
    if (receive === undefined || payload === undefined) return;
    try {
      const p = JSON.parse(payload) as Partial<Prompt>;
      if (typeof p.leader === 'string' && typeof p.max === 'number')
        receive({ leader: p.leader, previousMax: Number(p.previousMax), max: p.max });
    } catch {
      // Not ours (someone else notifying on the channel): the safety timer still runs.
    }
  }
}

/**
 * Makes this process the only one running follower `name` of `schema` in the database: a
 * session advisory lock, held on a connection of its own. Resolves once held (a second process
 * waits here as a standby and takes over when the first one's session ends, e.g. it crashed).
 * The resource closes when the connection fails: the caller must then stop processing.
 */
export async function acquireRunLock(
  options: PostgresWakeOptions & { readonly name: string; readonly signal?: AbortSignal },
): Promise<PostgresWake> {
  const lock = await createPostgresWake(options);
  const key = `eventum_system:${options.schema ?? 'public'}:${options.name.toLowerCase()}`;
  // Aborting while waiting ends the connection, which ends the wait.
  const abort = (): void => void lock.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    throwIfAborted(`the run lock of ${options.name}`, options.signal);
    return lock;
  } catch (error) {
    await lock.close();
    throwIfAborted(`the run lock of ${options.name}`, options.signal);
    throw backendError(`the run lock of ${options.name}`, error);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
