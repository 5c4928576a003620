import type { Logger, Recorders } from '@eventum/core';

import { Application } from './application.js';
import type { ApplicationOptions } from './application.js';
import { AesCipher } from './cipher.js';
import { zlibCompressor } from './compressor.js';
import { parseSourcingConfig } from './config.js';
import type { PersistenceConfig, SourcingConfig } from './config.js';
import { sourcingConfigFromEnv } from './config-env.js';
import { Mapper } from './mapper.js';
import type { MapperOptions, Upcasters } from './mapper.js';
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
  /** Builds the application from its parts (default `new Application(options)`): a subclass,
   * e.g. a process application of a {@link System}. */
  readonly construct?: (options: ApplicationOptions) => Application;
}

/**
 * Opens an application from a configuration object or environment variables (validated once;
 * `ERR_CONFIG` lists every problem): recorders of the configured persistence (LMDB and
 * PostgreSQL are loaded only when chosen), mapper with cipher and compressor, snapshots, cache.
 */
export async function openApplication(options: OpenApplicationOptions): Promise<Application> {
  const config = configOf(options);
  const recorders = await openRecorders(options.name, config.persistence);
  const parts: ApplicationOptions = {
    name: options.name,
    recorders,
    mapper: mapperOptions(config, options),
    ...(config.snapshotIntervals === undefined
      ? {}
      : { snapshotIntervals: config.snapshotIntervals }),
    ...(config.cacheMaxSize === undefined ? {} : { cacheMaxSize: config.cacheMaxSize }),
    ...(config.logSectionSize === undefined ? {} : { logSectionSize: config.logSectionSize }),
    ...(config.commandRetries === undefined ? {} : { commandRetries: config.commandRetries }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  try {
    return options.construct ? options.construct(parts) : new Application(parts);
  } catch (error) {
    await recorders.close();
    throw error;
  }
}

/**
 * The mapper application `name` is configured with (cipher, compressor, transcodings,
 * upcasters), without opening its recorders: a follower in another thread or process decodes
 * its leader's notifications with it.
 */
export function openMapper(options: OpenApplicationOptions): Mapper {
  return new Mapper(mapperOptions(configOf(options), options));
}

/** The validated configuration of `options` (from the object, else from the environment). */
export function configOf(options: OpenApplicationOptions): SourcingConfig {
  return options.config === undefined
    ? sourcingConfigFromEnv(options.name, options.env ?? process.env)
    : parseSourcingConfig(options.config);
}

function mapperOptions(config: SourcingConfig, options: OpenApplicationOptions): MapperOptions {
  const cipher = config.cipherKey === undefined ? undefined : new AesCipher(config.cipherKey);
  return {
    transcoder: new Transcoder(options.transcodings),
    ...(cipher === undefined ? {} : { cipher }),
    ...(config.compression === 'zlib' ? { compressor: zlibCompressor } : {}),
    ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
  };
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
