import { parseEventType } from '@eventum/core';

import { clientOptionHelp, clientOptionSpec, connectFromOptions } from '../client-options.js';
import { eventToJson } from '../json-output.js';
import { jsonText } from '../json-text.js';
import { integerOption, parseCommand } from '../usage.js';

export const subscribeHelp = `Usage: eventum subscribe [options] [EVENT_TYPE ...]

Prints every notification batch as one JSON array line until the connection closes or the
command is interrupted. EVENT_TYPE may use '?' and a trailing '*' (default '*': everything).

  --server-id N   only events that originate on server N
  --persisted     be notified once events are flushed to storage, not when registered

${clientOptionHelp}`;

export async function subscribeCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('subscribe', args, {
    ...clientOptionSpec,
    'server-id': { type: 'string' },
    persisted: { type: 'boolean', default: false },
  });
  if (values['help'] === true) {
    process.stdout.write(`${subscribeHelp}\n`);
    return 0;
  }
  const subscriptions = positionals.length === 0 ? [['*']] : positionals.map(parseEventType);
  const client = await connectFromOptions(values, {
    subscriptions,
    serverId: integerOption('server-id', values['server-id']) ?? null,
    persisted: values['persisted'] === true,
  });
  const stop = (): void => void client.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const events of client.events()) {
      process.stdout.write(`${jsonText(events.map(eventToJson))}\n`);
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await client.close();
  }
}
