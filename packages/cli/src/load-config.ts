import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';

import { ConfigError } from '@eventum/core';
import type { BackendPlugin, ConfigIssue } from '@eventum/core';
import { loadModuleInfo, serverConfigSchema } from '@eventum/server';
import type { ModuleInfo, ServerConfig } from '@eventum/server';
import { parse as parseYaml } from 'yaml';

import { backendPlugins, resolveBackendSection } from './backends.js';
import { resolveBusSection } from './buses.js';
import type { LoadedBus } from './buses.js';
import { validate } from './validate.js';

/** A validated, frozen configuration with its plugins resolved. */
export interface LoadedConfig {
  readonly config: ServerConfig;
  readonly backend: BackendPlugin;
  readonly modules: readonly { readonly info: ModuleInfo; readonly config: unknown }[];
  /** Directory relative paths in the configuration are resolved against. */
  readonly baseDir: string;
  /** The bus transport and bridge, when the configuration has a `bus` section. */
  readonly bus?: LoadedBus;
}

/**
 * Reads the configuration file at `path` (`.yaml`, `.yml` or `.json`; `-` reads YAML or JSON
 * from stdin; undefined uses the defaults), validates it and every plugin section, and returns
 * it frozen. Throws {@link ConfigError} listing every problem with its path.
 */
export async function loadConfig(path: string | undefined): Promise<LoadedConfig> {
  const baseDir = path === undefined || path === '-' ? process.cwd() : dirname(resolve(path));
  const raw = path === undefined ? {} : await readConfigFile(path);
  return resolveConfig(raw, baseDir);
}

/** Validates an already parsed configuration object (see {@link loadConfig}). */
export async function resolveConfig(raw: unknown, baseDir: string): Promise<LoadedConfig> {
  const value = structuredClone(raw);
  const issues = validate(serverConfigSchema, value);
  if (issues.length > 0) throw new ConfigError(issues);
  const config = value as Record<string, unknown> & ServerConfig;
  if (config['monitor_component'] !== undefined) {
    throw new ConfigError([
      { path: '/monitor_component', message: 'redundancy through a Hat monitor is not supported' },
    ]);
  }
  const backendSection = resolveBackendSection(config.backend, baseDir);
  const backend = backendPlugins[backendSection.type];
  if (backend === undefined) {
    const known = Object.keys(backendPlugins).join(', ');
    throw new ConfigError([
      { path: '/backend/type', message: `unknown backend (known: ${known})` },
    ]);
  }
  const backendIssues = validate(backend.configSchema, backendSection, '/backend');
  const { modules, issues: moduleIssues } = await loadModules(config.modules, baseDir);
  const bus = config.bus === undefined ? { issues: [] } : resolveBusSection(config.bus);
  const all = [...backendIssues, ...moduleIssues, ...bus.issues];
  if (all.length > 0) throw new ConfigError(all);
  const resolved = { ...config, backend: backendSection } as ServerConfig;
  const loaded = { config: deepFreeze(resolved), backend, modules, baseDir };
  return bus.bus === undefined ? loaded : { ...loaded, bus: deepFreeze(bus.bus) };
}

async function loadModules(
  sections: ServerConfig['modules'],
  baseDir: string,
): Promise<{ modules: LoadedConfig['modules']; issues: ConfigIssue[] }> {
  const modules: { info: ModuleInfo; config: unknown }[] = [];
  const issues: ConfigIssue[] = [];
  for (const [i, section] of sections.entries()) {
    try {
      const info = await loadModuleInfo(section.module, baseDir);
      if (info.configSchema !== undefined) {
        issues.push(...validate(info.configSchema, section, `/modules/${i}`));
      }
      modules.push({ info, config: deepFreeze(section) });
    } catch (error) {
      issues.push({ path: `/modules/${i}/module`, message: (error as Error).message });
    }
  }
  return { modules, issues };
}

async function readConfigFile(path: string): Promise<unknown> {
  const text = path === '-' ? await readStdin() : await readConfigText(path);
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `${path}: ${(error as Error).message}` }]);
  }
}

async function readConfigText(path: string): Promise<string> {
  const suffix = extname(path);
  if (!['.yaml', '.yml', '.json'].includes(suffix)) {
    throw new ConfigError([{ path: '', message: `${path}: expected a .yaml, .yml or .json file` }]);
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      { path: '', message: `cannot read ${path}: ${(error as Error).message}` },
    ]);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
