import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError } from '@eventum/core';

import { AesCipher } from './cipher.js';
import { parseSourcingConfig } from './config.js';
import { sourcingConfigFromEnv } from './config-env.js';
import { openApplication } from './open-application.js';

function issues(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('no ConfigError');
}

describe('sourcing configuration', () => {
  it('accepts an object, frozen', () => {
    const config = parseSourcingConfig({
      persistence: { type: 'lmdb', path: '/tmp/x.mdb' },
      cacheMaxSize: 0,
    });
    assert.deepEqual(config, {
      persistence: { type: 'lmdb', path: '/tmp/x.mdb' },
      cacheMaxSize: 0,
    });
    assert.ok(Object.isFrozen(config.persistence));
  });

  it('reports every problem with its path, only for the chosen persistence', () => {
    const found = issues(() =>
      parseSourcingConfig({
        persistence: { type: 'postgres', poolSize: 0 },
        compression: 'lz4',
        extra: 1,
      }),
    );
    assert.deepEqual(
      found.sort(),
      [
        '/compression: must be equal to one of the allowed values',
        '/persistence/poolSize: must be >= 1',
        "/persistence/url: must have required property 'url'",
        ': must NOT have additional properties (extra)',
      ].sort(),
    );
    assert.ok(issues(() => parseSourcingConfig({ persistence: { type: 'sqlite' } })).length > 0);
  });

  it('reads environment variables, the application-prefixed ones first', () => {
    const key = AesCipher.createKey();
    const config = sourcingConfigFromEnv('bank', {
      PERSISTENCE_MODULE: 'postgres',
      POSTGRES_DBNAME: 'test',
      POSTGRES_USER: 'postgres',
      BANK_POSTGRES_SCHEMA: 'bank',
      POSTGRES_SCHEMA: 'other',
      LMDB_PATH: '/ignored',
      CIPHER_KEY: key,
      COMPRESSOR: 'zlib',
      IS_SNAPSHOTTING_ENABLED: 'y',
      SNAPSHOTTING_INTERVALS: 'BankAccount:50, account:10',
      AGGREGATE_CACHE_MAXSIZE: '100',
      BANK_PERSISTENCE_DURABILITY: 'deferred',
    });
    assert.deepEqual(config, {
      persistence: {
        type: 'postgres',
        url: 'postgres://postgres@127.0.0.1:5432/test',
        schema: 'bank',
        durability: 'deferred',
      },
      cipherKey: key,
      compression: 'zlib',
      cacheMaxSize: 100,
      snapshotIntervals: { BankAccount: 50, account: 10 },
    });
    assert.deepEqual(sourcingConfigFromEnv('x', {}), { persistence: { type: 'memory' } });
  });

  it('names the variable of a bad value', () => {
    const found = issues(() =>
      sourcingConfigFromEnv('app', {
        PERSISTENCE_MODULE: 'lmdb',
        AGGREGATE_CACHE_MAXSIZE: 'lots',
        CREATE_TABLE: 'maybe',
      }),
    );
    assert.ok(
      found.some((i) => i.startsWith('AGGREGATE_CACHE_MAXSIZE: must be an integer')),
      found.join('\n'),
    );
    const missing = issues(() => sourcingConfigFromEnv('app', { PERSISTENCE_MODULE: 'lmdb' }));
    assert.deepEqual(missing, ["/persistence/path: must have required property 'path'"]);
    const bad = issues(() => sourcingConfigFromEnv('app', { LOG_SECTION_SIZE: '0' }));
    assert.deepEqual(bad, ['/logSectionSize: must be >= 1 (from LOG_SECTION_SIZE)']);
    const durability = issues(() =>
      sourcingConfigFromEnv('app', {
        PERSISTENCE_MODULE: 'lmdb',
        LMDB_PATH: '/data/app.mdb',
        PERSISTENCE_DURABILITY: 'later',
      }),
    );
    assert.equal(durability.length, 1);
    assert.match(durability[0]!, /^\/persistence\/durability: .*\(from PERSISTENCE_DURABILITY\)$/);
  });

  it('opens an application on the configured recorders, with encryption', async () => {
    await using app = await openApplication({
      name: 'cfg',
      env: { CIPHER_KEY: AesCipher.createKey(16), COMPRESSOR: 'zlib' },
    });
    await app.events.append('s', [{ type: 'Noted', data: { text: 'secret text' } }]);
    const [stored] = await app.events.recorder.selectEvents('s');
    assert.ok(!Buffer.from(stored!.state).toString('latin1').includes('secret'));
    assert.deepEqual((await app.events.get('s'))[0]?.data, { text: 'secret text' });
  });
});
