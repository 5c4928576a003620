import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ErrorCode, EventumError } from '@eventum/core';

import type { ModuleInfo } from './module.js';

/**
 * Imports a module plug-in and returns its `info` export, checked for shape (`create` is a
 * function, `configSchema` absent or an object). It does not validate any configuration.
 *
 * `specifier` is a file path when it is absolute or starts with `./` or `../` (resolved against
 * `baseDir`, normally the configuration file's directory); otherwise a package name, looked up in
 * `node_modules` from `baseDir` upwards, then from eventum's own installation.
 *
 * Throws `ERR_CONFIG` naming the specifier when it cannot be imported or exports no valid `info`
 * (the import failure is the `cause`).
 */
export async function loadModuleInfo(specifier: string, baseDir: string): Promise<ModuleInfo> {
  const namespace = await importModule(specifier, baseDir);
  const info = (namespace as { info?: unknown }).info;
  const problem = infoProblem(info);
  if (problem !== undefined) throw configError(specifier, problem);
  return info as ModuleInfo;
}

async function importModule(specifier: string, baseDir: string): Promise<unknown> {
  let url: string;
  try {
    url = resolveSpecifier(specifier, baseDir);
  } catch (error) {
    throw configError(specifier, 'cannot be resolved', error);
  }
  try {
    return (await import(url)) as unknown;
  } catch (error) {
    throw configError(specifier, `cannot be imported: ${String(error)}`, error);
  }
}

function resolveSpecifier(specifier: string, baseDir: string): string {
  if (isPath(specifier)) return pathToFileURL(resolve(baseDir, specifier)).href;
  // A package installed next to the configuration wins over eventum's own dependencies; plain
  // `import()` would only search from this file. `require.resolve` misses packages that export
  // only under the `import` condition, hence the fallback to the bare specifier.
  try {
    const require = createRequire(join(resolve(baseDir), 'noop.js'));
    return pathToFileURL(require.resolve(specifier)).href;
  } catch {
    return specifier;
  }
}

function isPath(specifier: string): boolean {
  return (
    isAbsolute(specifier) ||
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier === '.' ||
    specifier === '..'
  );
}

function infoProblem(info: unknown): string | undefined {
  if (info === undefined) return 'exports no `info`';
  if (typeof info !== 'object' || info === null) return '`info` is not an object';
  const { create, configSchema } = info as { create?: unknown; configSchema?: unknown };
  if (typeof create !== 'function') return '`info.create` is not a function';
  const isObject = typeof configSchema === 'object' && configSchema !== null;
  if (configSchema !== undefined && (!isObject || Array.isArray(configSchema))) {
    return '`info.configSchema` is not a JSON Schema object';
  }
  return undefined;
}

function configError(specifier: string, problem: string, cause?: unknown): EventumError {
  const options = cause === undefined ? undefined : { cause };
  return new EventumError(ErrorCode.Config, `module '${specifier}' ${problem}`, options);
}
