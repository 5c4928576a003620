import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { consoleAssetsDir } from '@eventum/console';
import { ConfigError } from '@eventum/core';
import { DEFAULT_HTTP_PORT } from '@eventum/server';
import type { HttpGatewayOptions, ServerConfig } from '@eventum/server';

/**
 * The HTTP gateway's options from `http_server`, or undefined when it is disabled. Reads the TLS
 * files (relative to `baseDir`); throws `ConfigError` naming each file that cannot be read.
 */
export async function httpOptions(
  config: ServerConfig,
  baseDir: string,
): Promise<HttpGatewayOptions | undefined> {
  const http = config.http_server;
  if (!http.enabled) return undefined;
  const tokens = [...http.tokens];
  if (http.accept_server_token && config.server_token !== null) tokens.push(config.server_token);
  const staticRoot = http.console ? consoleAssetsDir() : null;
  return {
    host: http.host,
    // A configuration asking for any free eventer port gets a free HTTP port too.
    port: http.port ?? (config.eventer_server.port === 0 ? 0 : DEFAULT_HTTP_PORT),
    tokens,
    corsOrigins: http.cors_origins,
    maxBodyBytes: http.max_body_bytes,
    maxSendQueueBytes: http.max_send_queue_bytes,
    keepAliveMs: http.keep_alive_interval * 1000,
    maxSubscribers: http.max_subscribers,
    ...(http.tls === undefined ? {} : { tls: await readTls(http.tls, baseDir) }),
    ...(staticRoot === null ? {} : { staticRoot }),
  };
}

async function readTls(
  tls: { readonly cert_path: string; readonly key_path: string },
  baseDir: string,
): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (field: 'cert_path' | 'key_path') =>
    readFile(resolve(baseDir, tls[field])).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      return {
        path: `/http_server/tls/${field}`,
        message: `cannot read ${tls[field]}: ${String(code)}`,
      };
    });
  const [cert, key] = await Promise.all([read('cert_path'), read('key_path')]);
  const issues = [cert, key].filter((r) => !Buffer.isBuffer(r));
  if (issues.length > 0 || !Buffer.isBuffer(cert) || !Buffer.isBuffer(key)) {
    throw new ConfigError(issues as { path: string; message: string }[]);
  }
  return { cert, key };
}
