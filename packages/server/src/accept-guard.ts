import { readFileSync } from 'node:fs';
import type { Server as NetServer } from 'node:net';

import type { Logger } from '@eventum/core';

import type { LogLimiter } from './log-limiter.js';

/** Default cap on simultaneous eventer connections (`eventer_server.max_connections`). */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/** File descriptors kept for everything but connections (storage files, threads, logs). */
const RESERVED_DESCRIPTORS = 64;

/** `accept` errors that mean "out of file descriptors": the listener survives them. */
const DESCRIPTOR_ERRORS = new Set(['EMFILE', 'ENFILE']);

export interface AcceptGuardOptions {
  readonly maxConnections: number;
  readonly logger: Logger;
  /** Rate-limits the refusal lines (a flood of connections must not flood the log). */
  readonly limiter: LogLimiter;
  /** The number of connections open now, for the log line. */
  readonly openConnections: () => number;
  /** Called with any listener error other than running out of file descriptors. */
  readonly onFatal: (error: Error) => void;
}

/**
 * Keeps a listener serving at its limits. Connections past the cap are closed at once (Node's
 * `maxConnections`) and a warning is logged. The cap is `maxConnections`, lowered to what the
 * open-files limit leaves after {@link RESERVED_DESCRIPTORS} (read from `/proc/self/limits` on
 * Linux; a warning at start says so): the process refuses connections cleanly before it runs
 * out of descriptors, instead of libuv silently dropping them. If `accept` still fails with
 * EMFILE/ENFILE (descriptors used elsewhere), the error is logged and the listener keeps
 * accepting. Both lines go through the server's {@link LogLimiter}.
 * Any other listener error goes to `onFatal`.
 */
export function guardAccepts(net: NetServer, options: AcceptGuardOptions): void {
  const { maxConnections, logger } = options;
  const openFiles = openFilesLimit();
  const budget = openFiles === null ? Infinity : connectionBudget(openFiles);
  const cap = Math.min(maxConnections, budget);
  const context = { max_connections: maxConnections, open_files_limit: openFiles ?? undefined };
  if (cap < maxConnections) {
    logger.warn('the open-files limit caps connections below max_connections (raise ulimit -n)', {
      ...context,
      connections: cap,
    });
  }
  net.maxConnections = cap;
  net.on('drop', (data?: { remoteAddress?: string; remotePort?: number }) => {
    const reason = cap < maxConnections ? 'open-files limit' : 'max_connections';
    const remote = data === undefined ? undefined : `${data.remoteAddress}:${data.remotePort}`;
    const message = `connection refused: ${reason} reached`;
    options.limiter.log(logger, 'warn', 'refused:limit', message, {
      ...context,
      connections: cap,
      remote,
    });
  });
  net.on('error', (error: NodeJS.ErrnoException) => onListenerError(error, options, context));
}

function onListenerError(
  error: NodeJS.ErrnoException,
  options: AcceptGuardOptions,
  context: Record<string, unknown>,
): void {
  if (error.syscall !== 'accept' || !DESCRIPTOR_ERRORS.has(error.code ?? '')) {
    options.onFatal(error);
    return;
  }
  const message = 'connection refused: out of file descriptors (raise ulimit -n)';
  options.limiter.log(options.logger, 'error', 'refused:descriptors', message, {
    ...context,
    code: error.code,
    open_connections: options.openConnections(),
  });
}

/** Connections the open-files limit leaves room for. */
export function connectionBudget(openFiles: number): number {
  return Math.max(1, openFiles - Math.min(RESERVED_DESCRIPTORS, Math.floor(openFiles / 2)));
}

/** The soft limit on open files of this process (Linux), or null when unknown or unlimited. */
export function openFilesLimit(): number | null {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  const value = soft === undefined ? NaN : Number(soft);
  return Number.isSafeInteger(value) ? value : null;
}
