import { isAbsolute, resolve } from 'node:path';

import { lmdbBackend } from '@eventum/backend-lmdb';
import { postgresBackend } from '@eventum/backend-postgres';
import { textlogBackend } from '@eventum/backend-textlog';
import { ConfigError, memoryBackend } from '@eventum/core';
import type { BackendPlugin } from '@eventum/core';
import type { BackendSection } from '@eventum/server';

/** The backends the CLI can build, by `backend.type`. The CLI is the only place that knows
 * concrete backends. */
export const backendPlugins: Readonly<Record<string, BackendPlugin>> = {
  lmdb: lmdbBackend,
  memory: memoryBackend,
  postgres: postgresBackend,
  textlog: textlogBackend,
};

/** Hat's backend module names and the eventum backend each one means. */
const hatModules: Readonly<Record<string, string>> = {
  'hat.event.backends.memory': 'memory',
  'hat.event.backends.dummy': 'memory',
  'hat.event.backends.lmdb': 'lmdb',
};

/** The default when the configuration names no backend: embedded LMDB in `./data`. */
export function defaultBackendSection(): BackendSection {
  return { type: 'lmdb', db_path: 'data/eventum.db' };
}

/**
 * Normalises the backend section: maps Hat's `module` to `type` and resolves relative paths
 * (`db_path`, `path`) against the configuration file's directory.
 */
export function resolveBackendSection(section: unknown, baseDir: string): BackendSection {
  const { module, ...rest } = (section ?? defaultBackendSection()) as Record<string, unknown> & {
    module?: string;
  };
  let type = rest['type'] as string | undefined;
  if (type === undefined && module !== undefined) {
    type = hatModules[module];
    if (type === undefined) {
      throw new ConfigError([
        { path: '/backend/module', message: `unknown backend module ${JSON.stringify(module)}` },
      ]);
    }
  }
  const resolved: Record<string, unknown> = { ...rest, type };
  for (const key of ['db_path', 'path']) {
    const value = resolved[key];
    if (typeof value === 'string' && !isAbsolute(value)) resolved[key] = resolve(baseDir, value);
  }
  return resolved as BackendSection;
}
