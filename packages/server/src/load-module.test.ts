import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';

import { EventumError, Subscription, isEventumError } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import { loadModuleInfo } from './load-module.js';

async function dirWith(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await tempDir('eventum-module-');
  t.after(() => dir.remove());
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir.path, name), text);
  return dir.path;
}

const goodModule = `
export const info = {
  configSchema: { type: 'object', properties: { prefix: { type: 'string' } } },
  create(config, engine, source) {
    return { subscription: config.subscription, process: () => [], source };
  },
};
`;

function configError(specifier: string, text: RegExp) {
  return (error: unknown): boolean =>
    isEventumError(error, 'ERR_CONFIG') &&
    error.message.includes(`'${specifier}'`) &&
    text.test(error.message);
}

describe('loadModuleInfo', () => {
  it('imports a module file relative to the base directory and returns its info', async (t) => {
    const dir = await dirWith(t, { 'copier.js': goodModule });
    const info = await loadModuleInfo('./copier.js', dir);
    assert.deepEqual(info.configSchema, {
      type: 'object',
      properties: { prefix: { type: 'string' } },
    });
    const source = { type: 'module', id: 3 } as const;
    const engine = {} as Parameters<typeof info.create>[1];
    const module = await info.create({ subscription: Subscription.all }, engine, source);
    assert.equal(module.subscription, Subscription.all);
  });

  it('imports a module file given by absolute path', async (t) => {
    const dir = await dirWith(t, { 'copier.mjs': goodModule });
    const info = await loadModuleInfo(join(dir, 'copier.mjs'), '/nonexistent');
    assert.equal(typeof info.create, 'function');
  });

  it('rejects a module without an info export with ERR_CONFIG naming it', async (t) => {
    const dir = await dirWith(t, { 'empty.js': 'export const other = 1;\n' });
    await assert.rejects(loadModuleInfo('./empty.js', dir), configError('./empty.js', /no `info`/));
  });

  it('rejects an info without a create function', async (t) => {
    const dir = await dirWith(t, { 'bad.js': 'export const info = { create: 42 };\n' });
    await assert.rejects(loadModuleInfo('./bad.js', dir), configError('./bad.js', /create/));
  });

  it('rejects a configSchema that is not an object', async (t) => {
    const text = 'export const info = { create() {}, configSchema: "schema.json" };\n';
    const dir = await dirWith(t, { 'schema.js': text });
    await assert.rejects(
      loadModuleInfo('./schema.js', dir),
      configError('./schema.js', /configSchema/),
    );
  });

  it('rejects a missing file with ERR_CONFIG carrying the import error as cause', async (t) => {
    const dir = await dirWith(t, {});
    const error = await loadModuleInfo('./missing.js', dir).catch((e: unknown) => e);
    assert.ok(configError('./missing.js', /cannot be imported/)(error));
    assert.ok(error instanceof EventumError && error.cause !== undefined);
  });

  it('rejects a module that throws while loading', async (t) => {
    const dir = await dirWith(t, { 'throws.js': 'throw new Error("boom at load");\n' });
    await assert.rejects(
      loadModuleInfo('./throws.js', dir),
      configError('./throws.js', /boom at load/),
    );
  });

  it('resolves a package name from node_modules next to the base directory', async (t) => {
    const dir = await dirWith(t, {});
    const pkg = join(dir, 'node_modules', 'my-module');
    await mkdir(pkg, { recursive: true });
    const manifest = {
      name: 'my-module',
      type: 'module',
      exports: { '.': { default: './main.js' } },
    };
    await writeFile(join(pkg, 'package.json'), JSON.stringify(manifest));
    await writeFile(join(pkg, 'main.js'), goodModule);
    const info = await loadModuleInfo('my-module', dir);
    assert.equal(typeof info.create, 'function');
  });

  it('resolves a package name and checks its exports', async (t) => {
    const dir = await dirWith(t, {});
    await assert.rejects(
      loadModuleInfo('@eventum/core', dir),
      configError('@eventum/core', /no `info`/),
    );
    await assert.rejects(
      loadModuleInfo('no-such-package-xyz', dir),
      configError('no-such-package-xyz', /cannot be imported/),
    );
  });
});
