import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { createNotifier, ionCatalogue } from '@eventum/notify';
import type { Catalogue, Kind, Notifier, NotifySubscribeOptions } from '@eventum/notify';

import { integerOption, parseCommand, UsageError } from '../usage.js';
import { openBus, replayFrom } from './bus.js';
import { fieldsInput } from './notify-fields.js';
import { runMonitor } from './notify-monitor.js';

export const notifyHelp = `Usage: eventum notify publish KIND --origin ORIGIN [--field NAME=VALUE]... [options]
       eventum notify subscribe [--kind KIND] [--origin ORIGIN] [options]
       eventum notify monitor [options]
       eventum notify kinds

publish     publishes one typed notification (KIND: a name such as process-lifecycle, or an id);
            prints its envelope id. Enum fields take a member name or a value. A field the kind
            lacks, an unknown enum name or a missing origin is refused, and nothing is sent
subscribe   prints every notification of KIND (default any) from ORIGIN (default any; '*' one
            token, '>' the rest) as one JSON line, until interrupted or --count arrived
monitor     the event monitor: reads one JSON request per line on stdin and answers each with
            one JSON line on stdout:
              {"op":"subscribe","session":"s1","kind":"process-lifecycle","origin":"svc.>"}
              {"op":"getData","session":"s1"}            (since the previous poll)
              {"op":"getData","session":"s1","since":1764700000.5,"subscriptionIds":["…"]}
              {"op":"unsubscribe","session":"s1","subscriptionId":"…"}   (no id: all)
kinds       prints the catalogue (built-in, plus --catalogue's), one JSON line per kind

  --conf PATH        use the bus section of this server configuration (any transport)
  --servers URLS     NATS server URLs, comma-separated (default nats://127.0.0.1:4222)
  --system NAME      the system name (default eventum): subjects <system>.events.<id>.<origin>
  --prefix SUBJECT   the subject prefix instead of <system>.events
  --catalogue PATH   a JavaScript module whose 'kinds' export (an array of defineKind results)
                     is added to the built-in catalogue
  --queue NAME       subscribe: a named subscriber sharing NAME with the others of the system
                     (JetStream: durable)
  --count N          subscribe: exit after N notifications
  --from WHERE       subscribe, JetStream: all, new, a sequence number or an ISO time`;

const options = {
  conf: { type: 'string', short: 'c' },
  servers: { type: 'string' },
  system: { type: 'string' },
  prefix: { type: 'string' },
  kind: { type: 'string' },
  origin: { type: 'string' },
  field: { type: 'string', multiple: true },
  queue: { type: 'string' },
  count: { type: 'string' },
  from: { type: 'string' },
  catalogue: { type: 'string' },
} as const;

export async function notifyCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('notify', args, options);
  const [action, target] = positionals;
  if (values['help'] === true || action === undefined) {
    process.stdout.write(`${notifyHelp}\n`);
    return action === undefined && values['help'] !== true ? 2 : 0;
  }
  const catalogue = await loadCatalogue(values['catalogue'] as string | undefined);
  if (action === 'kinds') return kinds(catalogue);
  if (!['publish', 'subscribe', 'monitor'].includes(action)) {
    throw new UsageError(`eventum notify: unknown action '${action}'`);
  }
  if (action === 'publish' && target === undefined) {
    throw new UsageError('eventum notify publish: missing KIND');
  }
  const bus = await openBus(values);
  try {
    const notifier = createNotifier({
      bus,
      catalogue,
      ...optional('system', values['system']),
      ...optional('subjectPrefix', values['prefix']),
    });
    if (action === 'publish') return await publish(notifier, target as string, values);
    if (action === 'subscribe') return await subscribe(notifier, values);
    return await runMonitor(notifier);
  } finally {
    await bus.close();
  }
}

function optional<N extends string>(name: N, value: unknown): { [K in N]?: string } {
  return typeof value === 'string' ? ({ [name]: value } as { [K in N]: string }) : {};
}

/** The built-in catalogue plus the `kinds` a `--catalogue` module exports. */
async function loadCatalogue(path: string | undefined): Promise<Catalogue> {
  if (path === undefined) return ionCatalogue;
  let loaded: { kinds?: unknown };
  try {
    loaded = (await import(pathToFileURL(resolve(path)).href)) as { kinds?: unknown };
  } catch (error) {
    throw new UsageError(`--catalogue ${path}: cannot load: ${(error as Error).message}`);
  }
  const kinds = loaded.kinds;
  if (!Array.isArray(kinds) || !kinds.every(isKind)) {
    throw new UsageError(
      `--catalogue ${path}: must export 'kinds', an array of defineKind results`,
    );
  }
  return ionCatalogue.with(...kinds);
}

function isKind(value: unknown): value is Kind {
  const kind = value as Partial<Kind> | null;
  return (
    typeof kind === 'object' &&
    kind !== null &&
    typeof kind.id === 'number' &&
    typeof kind.name === 'string' &&
    typeof kind.fields === 'object' &&
    typeof kind.schema === 'object'
  );
}

function kinds(catalogue: Catalogue): number {
  for (const kind of catalogue.kinds) {
    const fields = Object.keys(kind.fields);
    const line = { id: kind.id, name: kind.name, fields, description: kind.description };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return 0;
}

async function publish(
  notifier: Notifier,
  kindName: string,
  values: Record<string, unknown>,
): Promise<number> {
  const kind = notifier.catalogue.resolve(kindName);
  const input = fieldsInput(kind, (values['field'] as string[] | undefined) ?? []);
  const origin = values['origin'] as string | undefined;
  const publisher = notifier.publisher(kind, origin === undefined ? {} : { origin });
  const id = publisher.publish(input);
  await notifier.bus.flush();
  if (notifier.bus.stats.errors > 0) return 1;
  process.stdout.write(`${id}\n`);
  return 0;
}

async function subscribe(notifier: Notifier, values: Record<string, unknown>): Promise<number> {
  const count = integerOption('count', values['count']);
  const from = replayFrom(values['from'] as string | undefined);
  const options: NotifySubscribeOptions<string> = {
    ...optional('kind', values['kind']),
    ...optional('origin', values['origin']),
    ...optional('queue', values['queue']),
    ...(from === undefined ? {} : { from }),
    onInvalid: (error) => process.stderr.write(`skipped: ${error.message}\n`),
  };
  const subscription = notifier.subscribe(options);
  const stop = (): void => void subscription.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await subscription.ready;
    process.stderr.write(`subscribed to ${subscription.pattern}\n`);
    let seen = 0;
    if (count === 0) return 0;
    for await (const notification of subscription) {
      process.stdout.write(`${JSON.stringify(notification)}\n`);
      if (++seen === count) break;
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
