import { invalidArgument } from '@eventum/core';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { System } from './system.js';

/** A module's URL from a path (relative to the working directory) or a URL. */
export function moduleUrl(module: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(module) && !/^[a-z]:[\\/]/i.test(module)) return module;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/**
 * Imports the {@link System} a module exports as `exportName` (default `system`): how worker
 * threads and `eventum system run` find the system they run a part of.
 */
export async function loadSystem(module: string, exportName = 'system'): Promise<System> {
  const exports = (await import(moduleUrl(module))) as Record<string, unknown>;
  const system = exports[exportName];
  // Duck-typed: the module may have loaded another copy of this package.
  const like = system as Partial<System> | undefined;
  if (!(system instanceof System) && !(like?.nodes instanceof Map && Array.isArray(like.edges)))
    throw invalidArgument(`${module} does not export a System as ${JSON.stringify(exportName)}`);
  return system as System;
}
