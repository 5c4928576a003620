import { connect } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { EventType } from '@eventum/core';

import { integerOption } from './usage.js';

/** Options every client command takes (those of `hat-event-manager`). */
export const clientOptionSpec = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '23012' },
  'client-name': { type: 'string', default: 'eventum-cli' },
  'client-token': { type: 'string' },
} as const;

export const clientOptionHelp = `Connection options:
  --host HOST            server address (default 127.0.0.1)
  --port PORT            eventer port (default 23012)
  --client-name NAME     client name the server records (default eventum-cli)
  --client-token TOKEN   token, when the server requires one`;

/** Connects with the command's connection options. */
export function connectFromOptions(
  values: Record<string, unknown>,
  extra: { subscriptions?: EventType[]; serverId?: number | null; persisted?: boolean } = {},
): Promise<EventerClient> {
  const token = values['client-token'];
  return connect({
    host: values['host'] as string,
    port: integerOption('port', values['port']) ?? 23012,
    clientName: values['client-name'] as string,
    clientToken: typeof token === 'string' ? token : null,
    subscriptions: extra.subscriptions ?? [],
    serverId: extra.serverId ?? null,
    persisted: extra.persisted ?? false,
  });
}
