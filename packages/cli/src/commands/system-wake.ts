import { createNatsBus } from '@eventum/bus-nats';
import type { Bus, Logger } from '@eventum/core';
import { busPublisher, configOf, subscribePrompts } from '@eventum/sourcing';
import type { Prompt } from '@eventum/sourcing';
import { createPostgresWake } from '@eventum/sourcing/postgres';
import type { PostgresWake } from '@eventum/sourcing/postgres';

import { UsageError } from '../usage.js';

/** How the processes of a system prompt each other: NATS, PostgreSQL LISTEN/NOTIFY, or both. */
export interface Wakes {
  readonly publish: (prompt: Prompt) => void;
  listen(leaders: readonly string[], receive: (prompt: Prompt) => void): Promise<void>;
  close(): Promise<void>;
}

const KINDS = ['nats', 'pg'] as const;

/**
 * Opens the wake-ups `--wake` names (default: `nats`, plus `pg` when application `app` is on
 * PostgreSQL). `pg` listens and notifies in `app`'s database and schema, so it reaches the
 * applications stored there.
 */
export async function openWakes(
  values: Record<string, unknown>,
  app: string,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<Wakes> {
  const persistence = configOf({ name: app, env }).persistence;
  const given = values['wake'] as string | undefined;
  const kinds = given?.split(',') ?? ['nats', ...(persistence.type === 'postgres' ? ['pg'] : [])];
  const unknown = kinds.filter((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new UsageError(`--wake: unknown ${unknown.join(', ')} (nats, pg)`);
  if (kinds.includes('pg') && persistence.type !== 'postgres')
    throw new UsageError(`--wake pg: ${app} is not stored on PostgreSQL`);
  let bus: Bus | undefined;
  let pg: PostgresWake | undefined;
  try {
    if (kinds.includes('nats')) bus = await openBus(values, env, logger);
    if (persistence.type === 'postgres' && kinds.includes('pg'))
      pg = await createPostgresWake({ ...persistence, logger });
  } catch (error) {
    await bus?.close();
    throw error;
  }
  return wakes(bus, pg);
}

function wakes(bus: Bus | undefined, pg: PostgresWake | undefined): Wakes {
  const toBus = bus && busPublisher(bus);
  return {
    publish: (prompt) => {
      toBus?.(prompt);
      pg?.notify(prompt);
    },
    async listen(leaders, receive) {
      if (bus) await subscribePrompts(bus, leaders, receive);
      for (const leader of leaders) await pg?.listen(leader, receive);
    },
    async close() {
      await pg?.close();
      await bus?.close();
    },
  };
}

function openBus(
  values: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<Bus> {
  const urls =
    (values['nats'] as string | undefined) ?? env['EVENTUM_NATS_URL'] ?? 'nats://127.0.0.1:4222';
  return createNatsBus({ servers: urls.split(','), name: 'eventum-system', logger });
}
