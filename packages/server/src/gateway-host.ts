import type { Backend } from '@eventum/core';

import type { Engine } from './engine.js';
import type { EventerServer } from './eventer-server.js';
import type { GatewayHost } from './http/context.js';

/**
 * What the HTTP gateway sees of the server: registrations go to the running engine (none while
 * not operational), queries and flushes to the backend, clients and counters from the eventer
 * server.
 */
export function gatewayHost(
  options: { readonly name?: string; readonly serverId: number },
  backend: Backend,
  eventerServer: EventerServer,
  engine: () => Engine | null,
): GatewayHost {
  return {
    name: options.name ?? 'eventum',
    serverId: options.serverId,
    get status() {
      return eventerServer.status;
    },
    register: (source, events) => {
      const running = engine();
      return running === null || running.isClosed
        ? Promise.resolve(null)
        : running.register(source, events);
    },
    query: (params) => backend.query(params),
    flush: () => backend.flush(),
    *clients() {
      for (const [, name] of eventerServer.getClientNames()) yield { protocol: 'eventer', name };
    },
    stats: () => {
      const eventer = eventerServer.stats();
      return {
        eventerClients: eventer.clients,
        eventerQueries: eventer.queries,
        eventerSendQueueBytes: eventer.sendQueueBytes,
        eventerSlowConsumers: eventer.slowConsumerDisconnects,
        registerQueueLength: engine()?.queueLength ?? 0,
      };
    },
  };
}
