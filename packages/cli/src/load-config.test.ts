import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { ConfigError } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import { loadConfig, resolveConfig } from './load-config.js';

const issuesOf = async (promise: Promise<unknown>): Promise<string[]> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(isEventumError(error, 'ERR_CONFIG'), String(error));
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('fills defaults when there is no file: server 1, 127.0.0.1:23012, LMDB in ./data', async () => {
    const { config } = await loadConfig(undefined);
    assert.equal(config.server_id, 1);
    assert.deepEqual(
      [config.eventer_server.host, config.eventer_server.port],
      ['127.0.0.1', 23012],
    );
    assert.equal(config.backend.type, 'lmdb');
    assert.equal(config.backend['db_path'], join(process.cwd(), 'data', 'eventum.db'));
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.eventer_server));
  });

  it('accepts a Hat server.yaml: field names, backend module, adminer section', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const path = join(dir.path, 'event.yaml');
    await writeFile(
      path,
      [
        'type: event',
        'name: event',
        'server_id: 2',
        'server_token: secret',
        'backend: {module: hat.event.backends.memory}',
        'modules: []',
        'eventer_server: {host: 127.0.0.1, port: 23012}',
        'adminer_server: {host: 127.0.0.1, port: 23015}',
        'log: {version: 1}',
      ].join('\n'),
    );
    const { config, backend } = await loadConfig(path);
    assert.equal(config.server_token, 'secret');
    assert.equal(backend.type, 'memory');
    assert.equal(config.log.level, 'info');
  });

  it('reports every problem at once, top level, backend and modules, each with its path', async () => {
    const issues = await issuesOf(
      resolveConfig(
        {
          server_id: 'one',
          eventer_server: { colour: 'red' },
          backend: { type: 'memory', max_results: 0, extra: true },
          modules: [{ module: './missing-module.js' }, { path: 'no module' }],
          monitor_component: {},
        },
        '/nonexistent',
      ),
    );
    assert.equal(issues.length, 7, issues.join('\n'));
    for (const expected of [
      '/server_id: must be integer',
      '/eventer_server/colour: unknown property',
      '/modules/1/module: is required',
      '/backend/max_results: must be >= 1',
      '/backend/extra: unknown property',
      '/monitor_component: redundancy through a Hat monitor is not supported',
    ]) {
      assert.ok(issues.includes(expected), `${expected} in\n${issues.join('\n')}`);
    }
    assert.ok(issues.some((i) => i.startsWith('/modules/0/module: ')));
  });

  it('reports a top-level problem together with an unknown backend', async () => {
    assert.deepEqual(
      await issuesOf(resolveConfig({ server_id: -1, backend: { type: 'sqlite' } }, '.')),
      [
        '/server_id: must be >= 0',
        '/backend/type: unknown backend (known: lmdb, memory, postgres, textlog)',
      ],
    );
    assert.deepEqual(await issuesOf(resolveConfig({ name: '', backend: 'lmdb' }, '.')), [
      '/name: must NOT have fewer than 1 characters',
      '/backend: must be object',
    ]);
  });

  it('fills bus.lifecycle defaults and reports its problems with their paths', async () => {
    const { config } = await resolveConfig(
      { backend: { type: 'memory' }, bus: { type: 'null' } },
      '.',
    );
    assert.deepEqual(config.bus?.lifecycle, { enabled: false, system: 'eventum' });
    const bad = { enabled: 'yes', system: 'a_b', origin: 'unknown', colour: 1 };
    assert.deepEqual(
      await issuesOf(
        resolveConfig({ backend: { type: 'memory' }, bus: { type: 'null', lifecycle: bad } }, '.'),
      ),
      [
        '/bus/lifecycle/colour: unknown property',
        '/bus/lifecycle/enabled: must be boolean',
        '/bus/lifecycle/system: must match pattern "^[A-Za-z0-9-]+$"',
        '/bus/lifecycle/origin: must NOT be valid',
      ],
    );
  });

  it('rejects unknown backends and monitor redundancy with a clear reason', async () => {
    assert.deepEqual(await issuesOf(resolveConfig({ backend: { type: 'sqlite' } }, '.')), [
      '/backend/type: unknown backend (known: lmdb, memory, postgres, textlog)',
    ]);
    const monitor = await issuesOf(resolveConfig({ monitor_component: { group: 'g' } }, '.'));
    assert.match(monitor[0] ?? '', /^\/monitor_component: /);
  });

  it('validates a postgres backend section against its schema and fills its defaults', async () => {
    assert.deepEqual(
      await issuesOf(
        resolveConfig({ backend: { type: 'postgres', schema: 'Bad-Name', pool_size: 0 } }, '.'),
      ),
      [
        '/backend/url: is required',
        '/backend/schema: must match pattern "^[a-z_][a-z0-9_]{0,47}$"',
        '/backend/pool_size: must be >= 2',
      ],
    );
    const url = 'postgres://eventum@127.0.0.1:5432/events';
    const { config, backend } = await resolveConfig({ backend: { type: 'postgres', url } }, '.');
    assert.equal(backend.type, 'postgres');
    assert.equal(config.backend['schema'], 'eventum');
    assert.equal(config.backend['pool_size'], 10);
  });

  it('names the file when it cannot be read or parsed', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    assert.match((await issuesOf(loadConfig(join(dir.path, 'none.yaml'))))[0] ?? '', /cannot read/);
    const broken = join(dir.path, 'broken.json');
    await writeFile(broken, '{"server_id": ');
    assert.match((await issuesOf(loadConfig(broken)))[0] ?? '', /broken\.json/);
    assert.match(
      (await issuesOf(loadConfig(join(dir.path, 'conf.toml'))))[0] ?? '',
      /\.yaml, \.yml or \.json/,
    );
  });
});
