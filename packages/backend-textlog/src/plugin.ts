import { EventumError, ErrorCode } from '@eventum/core';
import type { BackendContext, BackendPlugin } from '@eventum/core';

import { textlogConfigSchema } from './config-schema.js';
import { resolveTextlogConfig } from './config.js';
import type { TextlogBackendConfig } from './config.js';
import { readOrEmpty, scanDirectory } from './files.js';
import { parseEvents } from './format.js';
import { SpanIndex } from './span-index.js';
import { statsOf } from './span-stats.js';
import { fold, readState } from './state.js';
import { SpanStore } from './store.js';
import { TextlogBackend } from './textlog-backend.js';

/**
 * Opens the textlog backend on the directory `config.path` (created if missing): lists the
 * span files into the index, loads the state file and re-reads every span file whose size
 * differs from the one the state recorded (written after the last state, e.g. before a crash)
 * or that has no recorded stats (ids per server, source-timestamp range), rebuilding them.
 * Events are durable once `onFlushed` reports them (every `flush_period`, on `flush()`, on
 * close). Throws `ERR_INVALID_ARGUMENT` for a bad configuration value and `ERR_BACKEND` when
 * the directory or its files cannot be read.
 *
 * @example
 * const backend = await createTextlogBackend({ path: './data/textlog' }, { logger });
 */
export async function createTextlogBackend(
  config: TextlogBackendConfig,
  context: Partial<BackendContext> = {},
): Promise<TextlogBackend> {
  const resolved = resolveTextlogConfig(config);
  try {
    const spans = await scanDirectory(resolved.path);
    const state = await readState(resolved.path);
    const names = new Set(spans.map((span) => span.name));
    for (const name of state.stats.keys()) if (!names.has(name)) state.stats.delete(name);
    for (const span of spans) {
      const data = await readOrEmpty(resolved.path, span.name);
      if (state.sizes.get(span.name) === data.length && state.stats.has(span.name)) continue;
      const events = parseEvents(data);
      for (const event of events) fold(state, event);
      state.sizes.set(span.name, data.length);
      state.stats.set(span.name, statsOf(events));
    }
    const store = new SpanStore(
      resolved.path,
      new SpanIndex(spans, resolved.span, state.stats),
      state.sizes,
      resolved.cacheFiles,
    );
    return new TextlogBackend(resolved, store, state, context);
  } catch (error) {
    if (error instanceof EventumError && error.code !== ErrorCode.Protocol) throw error;
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new EventumError(
      ErrorCode.Backend,
      `cannot open the textlog backend on ${resolved.path}${detail}`,
      { cause: error },
    );
  }
}

/** The textlog backend as a plugin (`backend: {type: textlog, ...}` in the server configuration). */
export const textlogBackend: BackendPlugin<TextlogBackendConfig> = {
  type: 'textlog',
  configSchema: textlogConfigSchema,
  create: (config, context) => createTextlogBackend(config, context),
  storagePath: (config) => resolveTextlogConfig(config).path,
};
