import { newEnvelopeId } from '@eventum/core';
import type { Bus, BusPayload, BusReplayFrom } from '@eventum/core';

import { createBusFromSection } from '../buses.js';
import { loadConfig } from '../load-config.js';
import { createLogger } from '../logger.js';
import { integerOption, parseCommand, UsageError } from '../usage.js';

export const busHelp = `Usage: eventum bus publish TOPIC [PAYLOAD_JSON] [options]
       eventum bus subscribe PATTERN [options]

publish     publishes one event (payload: a JSON object, default {}); prints its envelope id
subscribe   prints every event matching PATTERN ('*' one token, '>' the rest) as one JSON
            envelope per line, until interrupted or --count events arrived

  --conf PATH        use the bus section of this server configuration (any transport)
  --servers URLS     NATS server URLs, comma-separated (default nats://127.0.0.1:4222);
                     used when --conf is not given, with core NATS
  --type TYPE        publish: the envelope type
  --queue NAME       subscribe: join this queue group (JetStream: durable consumer)
  --count N          subscribe: exit after N events
  --from WHERE       subscribe, JetStream: all, new, a sequence number or an ISO time`;

export async function busCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand('bus', args, {
    conf: { type: 'string', short: 'c' },
    servers: { type: 'string' },
    type: { type: 'string' },
    queue: { type: 'string' },
    count: { type: 'string' },
    from: { type: 'string' },
  });
  const [action, target, ...rest] = positionals;
  if (values['help'] === true || action === undefined) {
    process.stdout.write(`${busHelp}\n`);
    return action === undefined && values['help'] !== true ? 2 : 0;
  }
  if (target === undefined) throw new UsageError(`eventum bus ${action}: missing topic or pattern`);
  const bus = await openBus(values);
  try {
    if (action === 'publish') return await publish(bus, target, rest[0], values);
    if (action === 'subscribe') return await subscribe(bus, target, values);
    throw new UsageError(`eventum bus: unknown action '${action}' (publish or subscribe)`);
  } finally {
    await bus.close();
  }
}

/** The bus of `--conf` (its `bus` section) or core NATS at `--servers`. */
export async function openBus(values: Record<string, unknown>): Promise<Bus> {
  const logger = createLogger('warn');
  const conf = values['conf'] as string | undefined;
  if (conf === undefined) {
    const servers = ((values['servers'] as string | undefined) ?? 'nats://127.0.0.1:4222').split(
      ',',
    );
    const section = {
      type: 'nats',
      servers,
      publish: { enabled: false, persisted: false },
      subscribe: [],
      lifecycle: { enabled: false, system: 'eventum' },
    };
    return createBusFromSection(section, logger);
  }
  const loaded = await loadConfig(conf);
  if (loaded.config.bus === undefined)
    throw new UsageError(`eventum bus: ${conf} has no bus section`);
  return createBusFromSection(loaded.config.bus, logger);
}

async function publish(
  bus: Bus,
  topic: string,
  json: string | undefined,
  values: Record<string, unknown>,
): Promise<number> {
  let payload: BusPayload;
  try {
    payload = JSON.parse(json ?? '{}') as BusPayload;
  } catch (error) {
    throw new UsageError(`eventum bus publish: payload is not JSON: ${(error as Error).message}`);
  }
  const id = newEnvelopeId();
  const type = values['type'] as string | undefined;
  bus.publish(topic, payload, { id, ...(type === undefined ? {} : { type }) });
  await bus.flush();
  if (bus.stats.errors > 0) return 1;
  process.stdout.write(`${id}\n`);
  return 0;
}

async function subscribe(
  bus: Bus,
  pattern: string,
  values: Record<string, unknown>,
): Promise<number> {
  const count = integerOption('count', values['count']);
  const queue = values['queue'] as string | undefined;
  const from = replayFrom(values['from'] as string | undefined);
  const subscription = bus.subscribe(pattern, {
    ...(queue === undefined ? {} : { queue }),
    ...(from === undefined ? {} : { from }),
  });
  const stop = (): void => void subscription.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await subscription.ready;
    process.stderr.write(`subscribed to ${pattern}\n`);
    let seen = 0;
    if (count === 0) return 0;
    for await (const event of subscription) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      if (++seen === count) break;
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Parses `--from`: all, new, a sequence number or a time. */
export function replayFrom(value: string | undefined): BusReplayFrom | undefined {
  if (value === undefined || value === 'all' || value === 'new') return value;
  if (/^\d+$/.test(value)) return { seq: Number(value) };
  const time = new Date(value);
  if (Number.isNaN(time.getTime()))
    throw new UsageError(
      `--from must be all, new, a sequence or a time, got ${JSON.stringify(value)}`,
    );
  return { time };
}
