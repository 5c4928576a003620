import { jetStreamBus, natsBus } from '@eventum/bus-nats';
import { ConfigError, inProcessBus, nullBus } from '@eventum/core';
import type { Bus, BusPlugin, ConfigIssue, Logger } from '@eventum/core';
import type { BusSection } from '@eventum/server';

import { validate } from './validate.js';

/** The bus transports the CLI can build, by `bus.type`. The CLI is the only place that knows
 * concrete transports. */
export const busPlugins: Readonly<Record<string, BusPlugin>> = {
  'in-process': inProcessBus,
  null: nullBus,
  nats: natsBus,
  jetstream: jetStreamBus,
};

/** A validated bus section split into its transport part and the server bridge. */
export interface LoadedBus {
  readonly plugin: BusPlugin;
  /** The transport's own fields (`type` and what its schema allows), defaults filled. */
  readonly transport: Record<string, unknown>;
  readonly section: BusSection;
}

/** Finds the transport of `section` and validates its fields; problems carry `/bus/…` paths. */
export function resolveBusSection(section: BusSection): { bus?: LoadedBus; issues: ConfigIssue[] } {
  const plugin = Object.hasOwn(busPlugins, section.type) ? busPlugins[section.type] : undefined;
  if (plugin === undefined) {
    const known = Object.keys(busPlugins).join(', ');
    return {
      issues: [
        {
          path: '/bus/type',
          message: `unknown bus type ${JSON.stringify(section.type)} (known: ${known})`,
        },
      ],
    };
  }
  const { publish: _publish, subscribe: _subscribe, lifecycle: _lifecycle, ...transport } = section;
  const issues = validate(plugin.configSchema, transport, '/bus');
  return issues.length > 0 ? { issues } : { bus: { plugin, transport, section }, issues };
}

/** Builds the bus a `bus` section describes (`ERR_CONFIG` for an unknown type or bad fields). */
export async function createBusFromSection(section: BusSection, logger: Logger): Promise<Bus> {
  const { bus, issues } = resolveBusSection(section);
  if (bus === undefined) throw new ConfigError(issues);
  return bus.plugin.create(bus.transport, { logger: logger.child({ component: 'bus' }) });
}
