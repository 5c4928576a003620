import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';

import { ConfigError } from '@eventum/core';
import type { BackendPlugin, ConfigIssue } from '@eventum/core';
import { loadModuleInfo, serverConfigSchema } from '@eventum/server';
import type { BackendSection, ModuleInfo, ModuleSection, ServerConfig } from '@eventum/server';
import { parse as parseYaml } from 'yaml';

import { backendPlugins, resolveBackendSection } from './backends.js';
import { validate } from './validate.js';

/** A validated, frozen configuration with its plugins resolved. */
export interface LoadedConfig {
  readonly config: ServerConfig;
  readonly backend: BackendPlugin;
  readonly modules: readonly { readonly info: ModuleInfo; readonly config: unknown }[];
  /** Directory relative paths in the configuration are resolved against. */
  readonly baseDir: string;
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

/**
 * Validates an already parsed configuration object (see {@link loadConfig}): the top level, the
 * backend section and every module section are all checked, and every problem found anywhere is
 * reported in one {@link ConfigError}.
 */
export async function resolveConfig(raw: unknown, baseDir: string): Promise<LoadedConfig> {
  const value = structuredClone(raw);
  const issues = validate(serverConfigSchema, value);
  const config = (isObject(value) ? value : {}) as Record<string, unknown> & ServerConfig;
  if (config['monitor_component'] !== undefined) {
    issues.push({
      path: '/monitor_component',
      message: 'redundancy through a Hat monitor is not supported',
    });
  }
  const backend = checkBackend(config['backend'], baseDir);
  const sections: unknown[] = Array.isArray(config.modules) ? config.modules : [];
  const { modules, issues: moduleIssues } = await loadModules(sections, baseDir);
  const all = [...issues, ...backend.issues, ...moduleIssues];
  if (all.length > 0 || backend.plugin === null) throw new ConfigError(all);
  const resolved = { ...config, backend: backend.section } as ServerConfig;
  return { config: deepFreeze(resolved), backend: backend.plugin, modules, baseDir };
}

/** Resolves and validates the backend section; `plugin` is null when there is none to use. */
function checkBackend(
  raw: unknown,
  baseDir: string,
): { plugin: BackendPlugin | null; section: BackendSection; issues: ConfigIssue[] } {
  const fallback = { plugin: null, section: { type: '' } };
  if (raw !== undefined && !isObject(raw)) return { ...fallback, issues: [] }; // reported above
  let section: BackendSection;
  try {
    section = resolveBackendSection(raw, baseDir);
  } catch (error) {
    return { ...fallback, issues: [...(error as ConfigError).issues] };
  }
  const plugin = backendPlugins[section.type];
  if (plugin === undefined) {
    if (typeof section.type !== 'string') return { ...fallback, issues: [] }; // reported above
    const known = Object.keys(backendPlugins).join(', ');
    const issue = { path: '/backend/type', message: `unknown backend (known: ${known})` };
    return { ...fallback, issues: [issue] };
  }
  return { plugin, section, issues: validate(plugin.configSchema, section, '/backend') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isModuleSection(value: unknown): value is ModuleSection {
  return isObject(value) && typeof value['module'] === 'string' && value['module'] !== '';
}

/** Loads and validates every module section; malformed sections are skipped (reported above). */
async function loadModules(
  sections: readonly unknown[],
  baseDir: string,
): Promise<{ modules: LoadedConfig['modules']; issues: ConfigIssue[] }> {
  const modules: { info: ModuleInfo; config: unknown }[] = [];
  const issues: ConfigIssue[] = [];
  for (const [i, section] of sections.entries()) {
    if (!isModuleSection(section)) continue;
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
