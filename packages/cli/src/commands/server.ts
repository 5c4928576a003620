import type { Logger } from '@eventum/core';
import { createPostgresLease } from '@eventum/backend-postgres';
import type { RedundancySettings, Server, ServerOptions } from '@eventum/server';

import { createServerBus, startWithBus } from '../bus-wiring.js';
import { loadConfig } from '../load-config.js';
import type { LoadedConfig } from '../load-config.js';
import { httpOptions } from '../http-options.js';
import { createLogger } from '../logger.js';
import { readServerTls } from '../server-tls.js';
import { parseCommand } from '../usage.js';

export const serverHelp = `Usage: eventum server [--conf PATH]

Runs the event server until SIGINT or SIGTERM, then shuts down in order (engine, final flush,
connections, storage). A second signal exits at once.

  --conf PATH   configuration file (.yaml, .yml or .json; '-' reads stdin). Without it:
                server id 1, eventer server on 127.0.0.1:23012, default storage.
  --shutdown-timeout SECONDS   give up an orderly shutdown after this long (default 10)

The configuration format is described in docs/configuration.md.`;

export async function serverCommand(args: readonly string[]): Promise<number> {
  const { values } = parseCommand('server', args, {
    conf: { type: 'string', short: 'c' },
    'shutdown-timeout': { type: 'string', default: '10' },
  });
  if (values['help'] === true) {
    process.stdout.write(`${serverHelp}\n`);
    return 0;
  }
  const loaded = await loadConfig(values['conf'] as string | undefined);
  const { config } = loaded;
  const tls = await readServerTls(config.eventer_server.tls, loaded.baseDir);
  const logger = createLogger(config.log.level);
  const http = await httpOptions(config, loaded.baseDir);
  const serverBus = await createServerBus(loaded, logger);
  const redundancy = await redundancySettings(loaded, logger);
  const options = {
    ...serverOptions(loaded, tls, logger),
    ...(redundancy === undefined ? {} : { redundancy }),
  };
  const server = await startWithBus(serverBus, http === undefined ? options : { ...options, http });
  logger.info('eventum server started', {
    serverId: config.server_id,
    address: server.address,
    ...(server.httpGateway === null ? {} : { http: server.httpGateway.address }),
    backend: config.backend.type,
    ...(serverBus === undefined ? {} : { bus: serverBus.bus.transport }),
  });
  if (http !== undefined && config.http_server.console && http.staticRoot === undefined) {
    logger.warn('web console not built; serving the API only (npm run build builds it)');
  }
  const reason = await untilSignal(server, Number(values['shutdown-timeout']) * 1000);
  await serverBus?.monitor.close();
  await serverBus?.bus.close();
  logger.info('eventum server stopped', { reason: reason?.message });
  return reason === undefined ? 0 : 1;
}

/** The server's options from the configuration (`startWithBus` adds the bus's). */
function serverOptions(
  loaded: LoadedConfig,
  tls: ServerOptions['tls'],
  logger: Logger,
): ServerOptions {
  const { config } = loaded;
  return {
    name: config.name,
    serverId: config.server_id,
    serverToken: config.server_token,
    host: config.eventer_server.host,
    port: config.eventer_server.port,
    chatter: {
      pingDelayMs: config.eventer_server.ping_delay * 1000,
      pingTimeoutMs: config.eventer_server.ping_timeout * 1000,
      maxFrameSize: config.eventer_server.max_frame_size,
    },
    maxClientQueueBytes: config.eventer_server.max_send_queue_bytes,
    maxConnections: config.eventer_server.max_connections,
    ...(tls === undefined ? {} : { tls }),
    createBackend: (context) => loaded.backend.create(config.backend, context),
    storagePath: loaded.backend.storagePath?.(config.backend),
    modules: loaded.modules,
    logger,
  };
}

/** The redundancy settings (with the lease opened), when the configuration has a section. */
async function redundancySettings(
  loaded: LoadedConfig,
  logger: Logger,
): Promise<RedundancySettings | undefined> {
  const section = loaded.config.redundancy;
  if (section === undefined) return undefined;
  const lease = await createPostgresLease({
    url: section.lease.url,
    key: section.lease.key,
    checkPeriodMs: section.lease.check_period * 1000,
    logger: logger.child({ component: 'lease' }),
  });
  return {
    name: loaded.config.name,
    peers: section.peers.map((p) => ({ serverId: p.server_id, host: p.host, port: p.port })),
    lease,
    reconnectDelayMs: section.reconnect_delay * 1000,
  };
}

/** Waits for SIGINT/SIGTERM (or the server closing by itself), then closes it. */
async function untilSignal(server: Server, timeoutMs: number): Promise<Error | undefined> {
  let signalled = false;
  const onSignal = (): void => {
    if (signalled) process.exit(130); // a second signal: the user wants out now
    signalled = true;
    const timer = setTimeout(() => process.exit(1), timeoutMs);
    timer.unref();
    void server.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await server.closed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
