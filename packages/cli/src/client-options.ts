import { readFile } from 'node:fs/promises';

import { connect } from '@eventum/client';
import type { ChatterTlsOptions, EventerClient, EventerClientOptions } from '@eventum/client';
import type { EventType } from '@eventum/core';

import { UsageError, integerOption } from './usage.js';

/** Options every client command takes (those of `hat-event-manager`, plus TLS). */
export const clientOptionSpec = {
  host: { type: 'string' },
  port: { type: 'string' },
  address: { type: 'string' },
  tls: { type: 'boolean' },
  ca: { type: 'string' },
  insecure: { type: 'boolean' },
  'client-name': { type: 'string', default: 'eventum-cli' },
  'client-token': { type: 'string' },
} as const;

export const clientOptionHelp = `Connection options:
  --host HOST            server address (default 127.0.0.1)
  --port PORT            eventer port (default 23012)
  --address URL          Hat's address form instead of --host/--port: tcp+sbs://HOST:PORT,
                         or ssl+sbs://HOST:PORT for TLS
  --tls                  connect with TLS (implied by an ssl+sbs:// address)
  --ca PATH              PEM file of the CA that signed the server's certificate
                         (default: the system's root CAs)
  --insecure             with TLS, accept any server certificate (encrypts, but does not
                         protect against a man in the middle)
  --client-name NAME     client name the server records (default eventum-cli)
  --client-token TOKEN   token, when the server requires one`;

/** Connects with the command's connection options. */
export async function connectFromOptions(
  values: Record<string, unknown>,
  extra: { subscriptions?: EventType[]; serverId?: number | null; persisted?: boolean } = {},
): Promise<EventerClient> {
  const token = values['client-token'];
  return connect({
    ...(await targetFromOptions(values)),
    clientName: values['client-name'] as string,
    clientToken: typeof token === 'string' ? token : null,
    subscriptions: extra.subscriptions ?? [],
    serverId: extra.serverId ?? null,
    persisted: extra.persisted ?? false,
  });
}

type Target = Pick<EventerClientOptions, 'host' | 'port' | 'address' | 'tls'>;

/** Where to connect and how, from `--host/--port` or `--address` and the TLS options. */
export async function targetFromOptions(values: Record<string, unknown>): Promise<Target> {
  const address = values['address'] as string | undefined;
  const host = values['host'] as string | undefined;
  const port = integerOption('port', values['port']);
  if (address !== undefined && (host !== undefined || port !== undefined)) {
    throw new UsageError('--address replaces --host and --port; give one or the other');
  }
  const tls = await tlsFromOptions(values, /^(ssl|tls)[:+]/.test(address ?? ''));
  const where =
    address !== undefined ? { address } : { host: host ?? '127.0.0.1', port: port ?? 23012 };
  return tls === undefined ? where : { ...where, tls };
}

async function tlsFromOptions(
  values: Record<string, unknown>,
  tlsAddress: boolean,
): Promise<ChatterTlsOptions | undefined> {
  const ca = values['ca'] as string | undefined;
  const insecure = values['insecure'] === true;
  if (values['tls'] !== true && !tlsAddress) {
    if (ca !== undefined || insecure) throw new UsageError('--ca and --insecure need --tls');
    return undefined;
  }
  if (ca !== undefined && insecure) throw new UsageError('--ca and --insecure exclude each other');
  let pem: Buffer | undefined;
  if (ca !== undefined) {
    try {
      pem = await readFile(ca);
    } catch (error) {
      throw new UsageError(`--ca: cannot read ${ca}: ${(error as Error).message}`);
    }
  }
  return { ...(pem === undefined ? {} : { ca: pem }), ...(insecure ? { verify: false } : {}) };
}
