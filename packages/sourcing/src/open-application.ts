import type { Logger, Recorders } from '@eventum/core';

import { Application } from './application.js';
import { AesCipher } from './cipher.js';
import { zlibCompressor } from './compressor.js';
import { parseSourcingConfig } from './config.js';
import type { PersistenceConfig, SourcingConfig } from './config.js';
import { sourcingConfigFromEnv } from './config-env.js';
import type { Upcasters } from './mapper.js';
import { createMemoryRecorders } from './memory-recorder.js';
import type { Transcoding } from './transcoder.js';
import { Transcoder } from './transcoder.js';

/** What {@link openApplication} needs besides the configuration. */
export interface OpenApplicationOptions {
  readonly name: string;
  /** The configuration object; when absent it is read from `env`. */
  readonly config?: unknown;
  /** Environment to read when `config` is absent (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly transcodings?: readonly Transcoding[];
  readonly upcasters?: Upcasters;
  readonly logger?: Logger;
}

/**
 * Opens an application from a configuration object or environment variables (validated once;
 * `ERR_CONFIG` lists every problem): recorders of the configured persistence (LMDB and
 * PostgreSQL are loaded only when chosen), mapper with cipher and compressor, snapshots, cache.
 */
export async function openApplication(options: OpenApplicationOptions): Promise<Application> {
  const config: SourcingConfig =
    options.config === undefined
      ? sourcingConfigFromEnv(options.name, options.env ?? process.env)
      : parseSourcingConfig(options.config);
  const cipher = config.cipherKey === undefined ? undefined : new AesCipher(config.cipherKey);
  const recorders = await openRecorders(options.name, config.persistence);
  return new Application({
    name: options.name,
    recorders,
    mapper: {
      transcoder: new Transcoder(options.transcodings),
      ...(cipher === undefined ? {} : { cipher }),
      ...(config.compression === 'zlib' ? { compressor: zlibCompressor } : {}),
      ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
    },
    ...(config.snapshotIntervals === undefined
      ? {}
      : { snapshotIntervals: config.snapshotIntervals }),
    ...(config.cacheMaxSize === undefined ? {} : { cacheMaxSize: config.cacheMaxSize }),
    ...(config.logSectionSize === undefined ? {} : { logSectionSize: config.logSectionSize }),
    ...(config.commandRetries === undefined ? {} : { commandRetries: config.commandRetries }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

async function openRecorders(name: string, persistence: PersistenceConfig): Promise<Recorders> {
  switch (persistence.type) {
    case 'memory':
      return createMemoryRecorders();
    case 'lmdb': {
      const { createLmdbRecorders } = await import('./lmdb/index.js');
      return createLmdbRecorders({ name, ...persistence });
    }
    case 'postgres': {
      const { createPostgresRecorders } = await import('./postgres/index.js');
      return createPostgresRecorders({ name, ...persistence });
    }
  }
}
