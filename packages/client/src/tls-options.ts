import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

import { invalidArgument } from '@eventum/core';

/** PEM text (or its bytes); several certificates may be concatenated. */
export type Pem = string | Uint8Array;

/**
 * TLS for an outgoing chatter connection. `true` means TLS with every default: the server's
 * certificate must chain to one of Node's root CAs and name the host.
 */
export interface ChatterTlsOptions {
  /** CA certificates that sign the server's certificate, instead of Node's default roots. */
  readonly ca?: Pem | readonly Pem[];
  /**
   * Check the server's certificate: it must chain to a trusted CA and carry the host name or
   * address (default true). `false` still encrypts but accepts any certificate, so it does not
   * protect against an active man in the middle; this is the default of Hat's
   * `create_ssl_ctx(verify_cert=False)`.
   */
  readonly verify?: boolean;
  /** Name the certificate must carry and sent as SNI (default: `host` when it is a name). */
  readonly serverName?: string;
  /** Client certificate chain and its key, for servers that require client certificates. */
  readonly cert?: Pem;
  readonly key?: Pem;
}

/** Node's `tls.connect` options for `host:port` with `tls` (`true` = every default). */
export function tlsConnectOptions(
  host: string,
  port: number,
  tls: ChatterTlsOptions | true,
): ConnectionOptions {
  const options: ChatterTlsOptions = tls === true ? {} : tls;
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw invalidArgument('tls.cert and tls.key must be given together');
  }
  const serverName = options.serverName ?? (isIP(host) === 0 ? host : undefined);
  const ca = options.ca;
  return {
    host,
    port,
    rejectUnauthorized: options.verify ?? true,
    ...(serverName === undefined ? {} : { servername: serverName }),
    ...(ca === undefined ? {} : { ca: Array.isArray(ca) ? [...(ca as Pem[])] : (ca as Pem) }),
    ...(options.cert === undefined ? {} : { cert: options.cert, key: options.key }),
  } as ConnectionOptions;
}

/** A parsed eventer address (see {@link parseEventerAddress}). */
export interface EventerAddress {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
}

const SCHEMES: Record<string, boolean> = {
  'tcp+sbs:': false,
  'tcp:': false,
  'ssl+sbs:': true,
  'ssl:': true,
  'tls:': true,
};

/**
 * Parses Hat's address form `<scheme>://<host>:<port>`: `tcp+sbs` (plain TCP) or `ssl+sbs` (TLS),
 * and the shorter `tcp`, `ssl` and `tls`. IPv6 hosts are written in brackets
 * (`ssl+sbs://[::1]:23012`). Throws `ERR_INVALID_ARGUMENT` naming what is wrong.
 */
export function parseEventerAddress(address: string): EventerAddress {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw invalidArgument(`invalid eventer address ${JSON.stringify(address)}`);
  }
  const tls = SCHEMES[url.protocol];
  if (tls === undefined) {
    const known = Object.keys(SCHEMES).join(' ');
    throw invalidArgument(`eventer address scheme ${url.protocol} is not one of ${known}`);
  }
  if (url.port === '' || url.hostname === '') {
    throw invalidArgument(`eventer address ${JSON.stringify(address)} needs a host and a port`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(url.port), tls };
}
