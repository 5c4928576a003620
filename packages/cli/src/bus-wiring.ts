import type { Bus, Logger } from '@eventum/core';
import { createEventMonitor, createNotifier, openWithLifecycle } from '@eventum/notify';
import type { EventMonitor } from '@eventum/notify';
import { busSourceModule, createServer } from '@eventum/server';
import type { BusPublishBridge, ConfiguredModule, Server, ServerOptions } from '@eventum/server';

import type { LoadedConfig } from './load-config.js';

/** What `eventum server` adds when the configuration has a `bus` section. */
export interface ServerBus {
  readonly bus: Bus;
  readonly busBridge?: BusPublishBridge;
  /** One bus source module per `bus.subscribe` entry, after the configured modules. */
  readonly modules: readonly ConfiguredModule[];
  /** With `bus.lifecycle.enabled`: the server announces its process lifecycle (docs/notify.md). */
  readonly lifecycle?: { readonly system: string; readonly origin: string };
  /** The notify event monitor the HTTP API serves (system `bus.lifecycle.system`); close it
   * before the bus. */
  readonly monitor: EventMonitor;
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
  const { lifecycle } = section;
  const origin = lifecycle.origin ?? `eventum-server.${loaded.config.server_id}`;
  // No I/O until an HTTP client subscribes a session.
  const monitor = createEventMonitor(createNotifier({ bus, system: lifecycle.system }));
  return {
    bus,
    modules,
    monitor,
    ...(lifecycle.enabled ? { lifecycle: { system: lifecycle.system, origin } } : {}),
    ...(section.publish.enabled
      ? { busBridge: { bus, prefix, persisted: section.publish.persisted } }
      : {}),
  };
}

/**
 * Starts the server with the bus's source modules (after the configured ones) and bridge added,
 * the event monitor served by its HTTP API, announcing its process lifecycle when configured;
 * closes the bus if the start fails, and closes the server when the bus closes on its own (NATS
 * reconnect attempts ran out). Without a bus it is `createServer(options)`.
 */
export async function startWithBus(
  serverBus: ServerBus | undefined,
  options: ServerOptions,
): Promise<Server> {
  if (serverBus === undefined) return createServer(options);
  const { http } = options;
  const withMonitor =
    http === undefined ? options : { ...options, http: { ...http, monitor: serverBus.monitor } };
  let server: Server;
  try {
    server = await openServer(serverBus, withMonitor);
  } catch (error) {
    await serverBus.monitor.close();
    await serverBus.bus.close();
    throw error;
  }
  void serverBus.bus.closed.then((reason) => {
    if (reason === undefined || server.isClosed) return;
    options.logger?.error('bus closed on its own; shutting down', { reason: reason.message });
    void server.close(reason);
  });
  return server;
}

/** Creates the server with the bus's modules and bridge; with `lifecycle`, through
 * `openWithLifecycle`. Its TERMINATED announcement runs in a callback on `server.closed`
 * registered here, so it is handed to the bus before the caller, awaiting `closed` later, closes
 * the bus. */
function openServer(serverBus: ServerBus, options: ServerOptions): Promise<Server> {
  const open = () =>
    createServer({
      ...options,
      modules: [...(options.modules ?? []), ...serverBus.modules],
      ...(serverBus.busBridge === undefined ? {} : { busBridge: serverBus.busBridge }),
    });
  const { lifecycle, bus } = serverBus;
  if (lifecycle === undefined) return open();
  const notifier = createNotifier({ bus, system: lifecycle.system });
  return openWithLifecycle(notifier, lifecycle.origin, open);
}
