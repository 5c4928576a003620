import { ClosedError, GroupResource, toError } from '@eventum/core';
import type { Logger, Resource } from '@eventum/core';

import type { EngineApi, Module, ModuleInfo } from './module.js';
import { formatSource } from './source.js';
import type { Source } from './source.js';

/**
 * Makes any {@link Module} a `Resource` the engine can adopt: `close()` calls the module's own
 * `close` (errors logged), and the module's `closed` settling on its own closes the handle, which
 * the engine adopts as critical.
 */
export class ModuleHandle extends GroupResource implements Resource {
  constructor(module: Module, source: Source, logger: Logger) {
    super();
    const name = formatSource(source);
    this.group.onClose(async () => {
      try {
        await module.close?.();
      } catch (error) {
        logger.error('module failed to close', { source: name, error: toError(error).message });
      }
    });
    if (module.closed !== undefined) {
      const closedByItself = (value: unknown): void => {
        if (this.isClosed) return;
        const reason = value instanceof Error ? value : undefined;
        logger.warn('module closed on its own', { source: name, error: reason?.message });
        void this.group.close(new ClosedError(`${name} closed`, { cause: reason }));
      };
      module.closed.then(closedByItself, closedByItself);
    }
  }
}

/** Calls `info.create`; a failure is rethrown naming the module (`module/1 create: …`). */
export async function createModule(
  info: ModuleInfo,
  config: unknown,
  engine: EngineApi,
  source: Source,
): Promise<Module> {
  try {
    return await info.create(config, engine, source);
  } catch (error) {
    const message = `${formatSource(source)} create: ${toError(error).message}`;
    throw new Error(message, { cause: error });
  }
}
