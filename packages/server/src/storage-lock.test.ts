import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import { lockStorage } from './storage-lock.js';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('storage lock', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  it('is exclusive, names its holder, and is free again once released', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const path = join(dir.path, 'new', 'x.db');
    const lock = await lockStorage(path);
    const refused = await failureOf(lockStorage(join(dir.path, 'new', '..', 'new', 'x.db')));
    assert.ok(isEventumError(refused, 'ERR_LOCKED'), String(refused));
    assert.match(refused.message, new RegExp(`new/x\\.db is in use by process ${process.pid} `));
    const other = await lockStorage(join(dir.path, 'new', 'y.db'));
    await other.close();
    await lock.close();
    await (await lockStorage(path)).close();
  });

  it('names a directory that cannot be created, with the reason', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    await writeFile(join(dir.path, 'file'), '');
    const failure = await failureOf(lockStorage(join(dir.path, 'file', 'sub', 'x.db')));
    assert.ok(isEventumError(failure, 'ERR_CONFIG'), String(failure));
    assert.match(failure.message, /cannot create the storage directory .*\/file\/sub \(ENOTDIR: /);
  });
});
