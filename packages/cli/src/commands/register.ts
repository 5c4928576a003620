import { Status, parseEventType } from '@eventum/core';

import { clientOptionHelp, clientOptionSpec, connectFromOptions } from '../client-options.js';
import { eventToJson } from '../json-output.js';
import { jsonText } from '../json-text.js';
import { OPERATIONAL_WAIT_MS, untilOperational } from '../operational.js';
import { readPayload } from '../payload.js';
import { parseTimestamp } from '../time-option.js';
import { UsageError, parseCommand } from '../usage.js';

export const registerHelp = `Usage: eventum register [options] EVENT_TYPE [PAYLOAD]

Registers one event of EVENT_TYPE (segments joined with '/', e.g. plant/line1/temperature) and
prints it as registered (JSON), unless --no-wait is given. A server still starting refuses
registrations, so this waits up to 10 s for its engine to be operational first.

Payload (none unless given):
  PAYLOAD                   the payload text (JSON by default)
  --payload-path PATH|-     read the payload from a file, or '-' for stdin
  --payload-type TYPE       json | yaml | binary | none (default json, or by file suffix)
  --binary-type TYPE        type label of a binary payload (default '')
  --source-timestamp T      'now', seconds since the epoch, or an ISO date-time
  --no-wait                 send without waiting for the server's answer

${clientOptionHelp}`;

export async function registerCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('register', args, {
    ...clientOptionSpec,
    'payload-path': { type: 'string' },
    'payload-type': { type: 'string' },
    'binary-type': { type: 'string' },
    'source-timestamp': { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
  });
  if (values['help'] === true) return print(registerHelp);
  const [typeText, payloadText, ...rest] = positionals;
  if (typeText === undefined) throw new UsageError('eventum register: EVENT_TYPE is required');
  if (rest.length > 0) throw new UsageError(`eventum register: unexpected ${rest.join(' ')}`);
  const payload = await readPayload({
    text: payloadText,
    path: values['payload-path'] as string | undefined,
    type: values['payload-type'] as string | undefined,
    binaryType: values['binary-type'] as string | undefined,
  });
  const event = {
    type: parseEventType(typeText),
    sourceTimestamp: parseTimestamp('source-timestamp', values['source-timestamp']),
    payload,
  };
  const client = await connectFromOptions(values);
  try {
    await untilOperational(client, OPERATIONAL_WAIT_MS);
    if (values['no-wait'] === true) {
      await client.register([event]);
      return 0;
    }
    const registered = await client.register([event], { withResponse: true });
    if (registered === null) {
      const status =
        client.status === Status.Operational ? '' : ` (server status: ${client.status})`;
      process.stderr.write(`eventum register: the server refused the registration${status}\n`);
      return 1;
    }
    for (const e of registered) print(jsonText(eventToJson(e)));
    return 0;
  } finally {
    await client.close();
  }
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}
