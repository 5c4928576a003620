import { GroupResource, noopLogger, toError } from '@eventum/core';
import type {
  ActivityLease,
  Backend,
  BackendContext,
  Event,
  Logger,
  Resource,
  Status,
} from '@eventum/core';
import type { ChatterOptions } from '@eventum/client';

import { publishToBus } from './bus-bridge.js';
import type { BusPublishBridge } from './bus-bridge.js';
import type { ConfiguredModule } from './engine-options.js';
import { createEngineRunner } from './engine-runner.js';
import type { EngineRunner } from './engine-runner.js';
import { createEventerServer } from './eventer-server.js';
import { messageEventBudget } from './notify-bodies.js';
import type { EventerServer } from './eventer-server.js';
import type { EventerTlsOptions } from './eventer-tls.js';
import type { LogLimiterOptions } from './log-limiter.js';
import { createHttpGateway } from './http/gateway.js';
import type { HttpGateway, HttpGatewayOptions } from './http/gateway.js';
import { gatewayHost } from './gateway-host.js';
import type { GatewayHost } from './http/context.js';
import { lockStorage } from './storage-lock.js';
import { Redundancy } from './redundancy.js';
import type { Peer } from './syncer.js';

/** Options of {@link createServer}: everything already validated by the caller. */
export interface ServerOptions {
  readonly serverId: number;
  readonly serverToken: string | null;
  readonly host: string;
  readonly port: number;
  /** Builds the backend with the callbacks that drive notifications. */
  readonly createBackend: (context: BackendContext) => Promise<Backend>;
  readonly modules?: readonly ConfiguredModule[];
  readonly logger?: Logger;
  readonly chatter?: ChatterOptions;
  readonly maxClientQueueBytes?: number;
  /** Rate limits of the log lines peers can cause (see `LogLimiter`). */
  readonly logLimits?: LogLimiterOptions;
  /** Serve the eventer port with TLS. */
  readonly tls?: EventerTlsOptions;
  /** Cap on simultaneous eventer connections (see `EventerServerOptions.maxConnections`). */
  readonly maxConnections?: number;
  /**
   * The storage the backend keeps its files in (see `BackendPlugin.storagePath`): locked for
   * this process before the backend is created and released after it closed. Another process
   * holding it fails the start with `ERR_LOCKED`.
   */
  readonly storagePath?: string | undefined;
  /** Publishes every registered (or, with `persisted`, every flushed) event on a bus. Not
   * owned: the caller closes the bus after the server. */
  readonly busBridge?: BusPublishBridge;
  /** Serve the HTTP + WebSocket API (docs/http-api.md) beside the eventer port. */
  readonly http?: HttpGatewayOptions;
  /** The server's name, as `/api/status` reports it. */
  readonly name?: string;
  /** Hat-style redundancy: peers to sync with and the lease that makes one server active. */
  readonly redundancy?: RedundancySettings;
}

/** What {@link ServerOptions.redundancy} needs beyond the server's own settings. */
export interface RedundancySettings {
  /** This server's name (its syncers connect as `event/<name>`). */
  readonly name: string;
  readonly peers: readonly Peer[];
  /** Owned by the server from now on: given up after its engine stopped, at close. */
  readonly lease: ActivityLease;
  readonly reconnectDelayMs?: number;
}

/** A running event server: the backend, the eventer server and the engine runner it owns. */
export interface Server extends Resource {
  readonly address: { readonly host: string; readonly port: number };
  readonly status: Status;
  readonly backend: Backend;
  readonly eventerServer: EventerServer;
  readonly engineRunner: EngineRunner;
  /** The HTTP gateway, when `http` was given. */
  readonly httpGateway: HttpGateway | null;
}

/**
 * Starts the server in Hat's order (hat-event.md §3.5): backend, eventer server (standby), then
 * the engine runner (starting → operational). If any part closes on its own, the whole server
 * closes. `close()` runs Hat's shutdown order with the flush before close: engine runner (engine
 * stops, STOPPED stored, flush) → backend flush → eventer server → backend.
 */
export async function createServer(options: ServerOptions): Promise<Server> {
  const lock = options.storagePath === undefined ? null : await lockStorage(options.storagePath);
  try {
    return await startServer(options, lock);
  } catch (error) {
    await lock?.close();
    throw error;
  }
}

async function startServer(options: ServerOptions, lock: Resource | null): Promise<Server> {
  const logger = options.logger ?? noopLogger;
  // Every event and every query result must fit one frame of the clients' limit.
  const budget = messageEventBudget(options.chatter);
  let eventer: EventerServer | null = null;
  let gateway: HttpGateway | null = null;
  const bridge = options.busBridge;
  const notify = (events: readonly Event[], persisted: boolean): void => {
    if (bridge !== undefined && bridge.persisted === persisted) {
      try {
        publishToBus(bridge, events);
      } catch (error) {
        // Bus losses never break registration: the backend is the source of truth.
        logger.warn('bus bridge publish failed', { reason: toError(error).message });
      }
    }
    gateway?.notify(events, persisted);
    eventer?.notifyEvents(events, persisted).catch((error: unknown) => {
      logger.error('notification failed', { reason: toError(error).message });
    });
  };
  const backend = await options.createBackend({
    logger: logger.child({ component: 'backend' }),
    onRegistered: (events) => notify(events, false),
    onFlushed: (events) => notify(events, true),
    maxResultBytes: budget,
  });
  try {
    eventer = await createEventerServer({ ...options, backend, logger });
  } catch (error) {
    await backend.close();
    throw error;
  }
  let engineRunner: EngineRunner | null = null;
  const redundancy =
    options.redundancy === undefined
      ? undefined
      : new Redundancy({
          ...options.redundancy,
          serverId: options.serverId,
          token: options.serverToken,
          backend,
          logger: logger.child({ component: 'redundancy' }),
          register: (source, events) =>
            void engineRunner?.engine?.register(source, events).catch(() => null),
        });
  const host = gatewayHost(options, backend, eventer, () => engineRunner?.engine ?? null);
  gateway = await openGateway(options, host, [
    eventer,
    backend,
    ...(redundancy ? [redundancy] : []),
  ]);
  engineRunner = createEngineRunner({
    backend,
    serverId: options.serverId,
    modules: options.modules ?? [],
    logger: logger.child({ component: 'engine' }),
    eventerServer: eventer,
    maxEventSize: budget,
    ...(redundancy === undefined ? {} : { gate: redundancy }),
  });
  return new RunningServer(
    backend,
    eventer,
    engineRunner,
    logger,
    lock,
    gateway,
    redundancy ?? null,
  );
}

/** The HTTP gateway when `options.http` asks for one; on failure closes `opened` in order. */
async function openGateway(
  options: ServerOptions,
  host: GatewayHost,
  opened: readonly Resource[],
): Promise<HttpGateway | null> {
  if (options.http === undefined) return null;
  try {
    return await createHttpGateway({ logger: options.logger ?? noopLogger, ...options.http }, host);
  } catch (error) {
    for (const resource of opened) await resource.close();
    throw error;
  }
}

class RunningServer extends GroupResource implements Server {
  readonly backend: Backend;
  readonly eventerServer: EventerServer;
  readonly engineRunner: EngineRunner;
  readonly #gateway: HttpGateway | null;

  constructor(
    backend: Backend,
    eventerServer: EventerServer,
    engineRunner: EngineRunner,
    logger: Logger,
    lock: Resource | null,
    gateway: HttpGateway | null,
    redundancy: Resource | null,
  ) {
    super();
    this.#gateway = gateway;
    this.backend = backend;
    this.eventerServer = eventerServer;
    this.engineRunner = engineRunner;
    for (const part of [backend, eventerServer, engineRunner, ...(gateway ? [gateway] : [])]) {
      void part.closed.then((reason) => {
        if (!this.isClosed) {
          logger.error('server part closed on its own; shutting down', { reason: reason?.message });
          void this.close(reason);
        }
      });
    }
    this.group.onClose(async () => {
      await this.#shutdown(logger, redundancy);
      await lock?.close();
    });
  }

  get address(): { host: string; port: number } {
    return this.eventerServer.address;
  }
  get status(): Status {
    return this.eventerServer.status;
  }
  get httpGateway(): HttpGateway | null {
    return this.#gateway;
  }

  async #shutdown(logger: Logger, redundancy: Resource | null): Promise<void> {
    await this.#gateway?.close();
    await this.engineRunner.close();
    // Syncers stop and the lease is given up only once the engine stopped (STANDBY announced).
    await redundancy?.close();
    try {
      if (!this.backend.isClosed) await this.backend.flush();
    } catch (error) {
      logger.error('final flush failed', { reason: toError(error).message });
    }
    await this.eventerServer.close();
    await this.backend.close();
  }
}
