import { readLmdb } from '@eventum/backend-lmdb';
import type { LmdbReadFilters, LmdbRecordKind } from '@eventum/backend-lmdb';
import { isQueryType, parseEventType } from '@eventum/core';

import { jsonText } from '../json-text.js';
import { integerOption, parseCommand, UsageError } from '../usage.js';
import {
  dbOptionHelp,
  dbOptionSpec,
  dbPath,
  dbHints,
  explainFileErrors,
  toleratePipeClose,
  writeLine,
} from './lmdb-files.js';

export const lmdbQueryHelp = `Usage: eventum lmdb query [--db PATH] KIND [--server-id N] [--partition-id N] [EVENT_TYPE ...]

Prints the records of one KIND stored in an LMDB file, one JSON object per line, in key order
(hat-event-lmdb-manager's 'query'). The file is opened read-only, so this works while a server
is using it.

KIND                filters          one line per
  settings                           setting: {"settings_id": "VERSION"|"IDENTIFIER", "data"}
  last_event_id     --server-id      server: {"server", "session", "instance"}
  last_timestamp    --server-id      server: {"server_id", "timestamp": {"s", "us"}}
  ref               --server-id      place a stored event is kept: {"event_id", "ref_type":
                                     "latest", "event_type"} or {"event_id", "ref_type":
                                     "timeseries", "partition_id", "timestamp"}
  latest            EVENT_TYPE ...   event in the latest store
  partition         --partition-id   partition: {"partition_id", "data": {"order",
                                     "subscriptions"}}
  timeseries        --partition-id, --server-id, EVENT_TYPE ...
                                     timeseries entry (an event; once per partition)

Events have the shape 'eventum query' prints: {"id", "type", "timestamp",
"source_timestamp", "payload"}. EVENT_TYPE may use '?' for one segment and a trailing '*' for
any rest.

${dbOptionHelp}
  --server-id N      only records of server N
  --partition-id N   only partition N (see 'eventum lmdb inspect')`;

const kinds = {
  settings: [],
  last_event_id: ['--server-id'],
  last_timestamp: ['--server-id'],
  ref: ['--server-id'],
  latest: ['EVENT_TYPE'],
  partition: ['--partition-id'],
  timeseries: ['--partition-id', '--server-id', 'EVENT_TYPE'],
} as const satisfies Record<LmdbRecordKind, readonly Filter[]>;

type Filter = '--server-id' | '--partition-id' | 'EVENT_TYPE';

const options = {
  ...dbOptionSpec,
  'server-id': { type: 'string' },
  'partition-id': { type: 'string' },
} as const;

export async function lmdbQueryCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('lmdb query', args, options);
  const [kind, ...types] = positionals;
  if (values['help'] === true || kind === undefined) {
    process.stdout.write(`${lmdbQueryHelp}\n`);
    return kind === undefined && values['help'] !== true ? 2 : 0;
  }
  if (!isKind(kind)) {
    throw new UsageError(
      `eventum lmdb query: unknown KIND '${kind}', expected one of ${Object.keys(kinds).join(', ')}`,
    );
  }
  const filters = readFilters(kind, values, types);
  const db = dbPath(values);
  toleratePipeClose();
  return explainFileErrors(
    'query',
    async () => {
      for await (const record of readLmdb(db.path, kind, filters)) {
        if (!(await writeLine(jsonText(record)))) break;
      }
      return 0;
    },
    dbHints(db),
  );
}

function isKind(kind: string): kind is LmdbRecordKind {
  return Object.hasOwn(kinds, kind);
}

/** The filters given, each checked to apply to `kind` (Hat's manager rejects the others too). */
function readFilters(
  kind: LmdbRecordKind,
  values: Record<string, unknown>,
  types: readonly string[],
): LmdbReadFilters {
  const allowed: readonly Filter[] = kinds[kind];
  const check = (filter: Filter, given: boolean): void => {
    if (given && !allowed.includes(filter)) {
      const which = allowed.length === 0 ? 'none' : allowed.join(', ');
      throw new UsageError(
        `eventum lmdb query ${kind}: ${filter} does not apply (filters of ${kind}: ${which})`,
      );
    }
  };
  const serverId = idOption('server-id', values['server-id']);
  const partitionId = idOption('partition-id', values['partition-id']);
  check('--server-id', serverId !== undefined);
  check('--partition-id', partitionId !== undefined);
  check('EVENT_TYPE', types.length > 0);
  return {
    ...(serverId === undefined ? {} : { serverId }),
    ...(partitionId === undefined ? {} : { partitionId }),
    ...(types.length === 0 ? {} : { eventTypes: types.map(queryType) }),
  };
}

function idOption(name: string, value: unknown): number | undefined {
  const id = integerOption(name, value);
  if (id !== undefined && id < 0) throw new UsageError(`--${name} must be >= 0, got ${id}`);
  return id;
}

function queryType(text: string): readonly string[] {
  const type = parseEventType(text);
  if (!isQueryType(type)) {
    throw new UsageError(`EVENT_TYPE ${JSON.stringify(text)}: '*' may only be the last segment`);
  }
  return type;
}
