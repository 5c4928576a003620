import type { Bus, Logger } from '@eventum/core';
import { busSourceModule } from '@eventum/server';
import type { BusPublishBridge, ConfiguredModule } from '@eventum/server';

import type { LoadedConfig } from './load-config.js';

/** What `eventum server` adds when the configuration has a `bus` section. */
export interface ServerBus {
  readonly bus: Bus;
  readonly busBridge?: BusPublishBridge;
  /** One bus source module per `bus.subscribe` entry, after the configured modules. */
  readonly modules: readonly ConfiguredModule[];
}

/** Creates the configured bus and the bridge options for the server (nothing without `bus`). */
export async function createServerBus(
  loaded: LoadedConfig,
  logger: Logger,
): Promise<ServerBus | undefined> {
  if (loaded.bus === undefined) return undefined;
  const { plugin, transport, section } = loaded.bus;
  const bus = await plugin.create(transport, { logger: logger.child({ component: 'bus' }) });
  const prefix = section.publish.prefix ?? `eventum.${loaded.config.server_id}`;
  const modules = section.subscribe.map((entry) => ({
    info: busSourceModule(bus, {
      ...entry,
      logger: logger.child({ component: 'bus-source', subjects: entry.subjects }),
    }),
    config: {},
  }));
  return {
    bus,
    modules,
    ...(section.publish.enabled
      ? { busBridge: { bus, prefix, persisted: section.publish.persisted } }
      : {}),
  };
}
