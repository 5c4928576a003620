import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { ConfigError } from '@eventum/core';
import type { ConfigIssue } from '@eventum/core';
import type { EventerTlsConfig, EventerTlsOptions } from '@eventum/server';

const PREFIX = '/eventer_server/tls';

/**
 * Reads the PEM files of `eventer_server.tls` (paths relative to `baseDir`). Throws
 * `ConfigError` listing every file that cannot be read, and a missing `ca_path` when
 * `verify_clients` is set. Whether the PEM is usable is checked when the server starts.
 */
export async function readServerTls(
  tls: EventerTlsConfig | undefined,
  baseDir: string,
): Promise<EventerTlsOptions | undefined> {
  if (tls === undefined) return undefined;
  const issues: ConfigIssue[] = [];
  if (tls.verify_clients && tls.ca_path === undefined) {
    issues.push({ path: `${PREFIX}/ca_path`, message: 'is required when verify_clients is true' });
  }
  const read = async (field: keyof EventerTlsConfig, path: string): Promise<Buffer | null> => {
    try {
      return await readFile(resolve(baseDir, path));
    } catch (error) {
      issues.push({
        path: `${PREFIX}/${field}`,
        message: `cannot read ${path}: ${errorText(error)}`,
      });
      return null;
    }
  };
  const [cert, key, ca] = await Promise.all([
    read('cert_path', tls.cert_path),
    read('key_path', tls.key_path),
    tls.ca_path === undefined ? null : read('ca_path', tls.ca_path),
  ]);
  if (issues.length > 0 || cert === null || key === null) throw new ConfigError(issues);
  return { cert, key, ...(ca === null ? {} : { ca }), verifyClients: tls.verify_clients };
}

function errorText(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(error);
}
