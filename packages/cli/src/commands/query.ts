import { parseEventType } from '@eventum/core';
import type { EventId, QueryParams } from '@eventum/core';

import { clientOptionHelp, clientOptionSpec, connectFromOptions } from '../client-options.js';
import { queryResultToJson } from '../json-output.js';
import { jsonText } from '../json-text.js';
import { parseEventId, parseTimestamp } from '../time-option.js';
import { UsageError, integerOption, parseCommand } from '../usage.js';

export const queryHelp = `Usage: eventum query latest [options] [EVENT_TYPE ...]
       eventum query timeseries [options] [EVENT_TYPE ...]
       eventum query server [options] SERVER_ID

Prints one JSON line {"events": [...], "more_follows": bool}. EVENT_TYPE may use '?' for one
segment and a trailing '*' for any rest (default: every type).

timeseries options:
  --t-from T / --t-to T                 server timestamp bounds (inclusive)
  --source-t-from T / --source-t-to T   source timestamp bounds (inclusive)
  --order ascending|descending          (default descending)
  --order-by timestamp|sourceTimestamp  (default timestamp)
  --max-results N
  --last-event-id SERVER,SESSION,INSTANCE   continue after this event
server options:
  --persisted                            only events already flushed to storage
  --max-results N, --last-event-id S,S,I
Times are 'now', seconds since the epoch or an ISO date-time.

${clientOptionHelp}`;

const options = {
  ...clientOptionSpec,
  't-from': { type: 'string' },
  't-to': { type: 'string' },
  'source-t-from': { type: 'string' },
  'source-t-to': { type: 'string' },
  order: { type: 'string' },
  'order-by': { type: 'string' },
  'max-results': { type: 'string' },
  'last-event-id': { type: 'string' },
  persisted: { type: 'boolean', default: false },
} as const;

export async function queryCommand(args: readonly string[]): Promise<number> {
  const [kind, ...rest] = args;
  const { values, positionals } = parseCommand('query', rest, options);
  if (values['help'] === true || kind === '--help' || kind === '-h' || kind === undefined) {
    process.stdout.write(`${queryHelp}\n`);
    return kind === undefined ? 2 : 0;
  }
  const params = queryParams(kind, values, positionals);
  const client = await connectFromOptions(values);
  try {
    const result = await client.query(params);
    process.stdout.write(`${jsonText(queryResultToJson(result))}\n`);
    return 0;
  } finally {
    await client.close();
  }
}

function queryParams(
  kind: string,
  values: Record<string, unknown>,
  positionals: readonly string[],
): QueryParams {
  const eventTypes = positionals.length === 0 ? null : positionals.map(parseEventType);
  const maxResults = integerOption('max-results', values['max-results']) ?? null;
  const lastEventId = parseEventId('last-event-id', values['last-event-id']);
  switch (kind) {
    case 'latest':
      return { type: 'latest', eventTypes };
    case 'timeseries':
      return {
        type: 'timeseries',
        eventTypes,
        tFrom: parseTimestamp('t-from', values['t-from']),
        tTo: parseTimestamp('t-to', values['t-to']),
        sourceTFrom: parseTimestamp('source-t-from', values['source-t-from']),
        sourceTTo: parseTimestamp('source-t-to', values['source-t-to']),
        order: choice('order', values['order'], ['descending', 'ascending'] as const),
        orderBy: choice('order-by', values['order-by'], ['timestamp', 'sourceTimestamp'] as const),
        maxResults,
        lastEventId,
      };
    case 'server':
      return serverParams(values, positionals, maxResults, lastEventId);
    default:
      throw new UsageError(`eventum query: expected latest, timeseries or server, got ${kind}`);
  }
}

function serverParams(
  values: Record<string, unknown>,
  positionals: readonly string[],
  maxResults: number | null,
  lastEventId: EventId | null,
): QueryParams {
  if (positionals.length !== 1) {
    throw new UsageError('eventum query server: exactly one SERVER_ID is required');
  }
  const serverId = integerOption('SERVER_ID', positionals[0]) ?? 0;
  return {
    type: 'server',
    serverId,
    persisted: values['persisted'] === true,
    maxResults,
    lastEventId,
  };
}

function choice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0]!;
  if (!allowed.includes(value as T)) {
    throw new UsageError(
      `--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}
