import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { AesCipher, Mapper, makeMeta, zlibCompressor } from '@eventum/sourcing';
import type { PersistenceConfig } from '@eventum/sourcing';
import { requireService, tempDir, testPgUrl } from '@eventum/testing';
import { Client } from 'pg';

import { BankAccount } from './account-aggregate.js';
import { account } from './account-decider.js';
import { classStyleDay, functionalDay, openBank } from './bank.js';
import { AccountError } from './events.js';

const dir = await tempDir('eventum-bank-');
after(() => dir.remove());
const pg = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('bank on PostgreSQL', (t) => t.skip(reason));
});
const pgSchema = `bank_${randomBytes(4).toString('hex')}`;
if (pg) {
  after(async () => {
    const client = new Client(testPgUrl);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
    await client.end();
  });
}

const stores: [string, () => PersistenceConfig][] = [
  ['memory', () => ({ type: 'memory' })],
  ['lmdb', () => ({ type: 'lmdb', path: join(dir.path, `${randomBytes(4).toString('hex')}.mdb`) })],
  ...(pg
    ? [
        ['postgres', () => ({ type: 'postgres', url: testPgUrl, schema: pgSchema })] as [
          string,
          () => PersistenceConfig,
        ],
      ]
    : []),
];

for (const [store, persistence] of stores) {
  describe(`bank example on ${store}`, () => {
    it('runs the class style: commands, retries, a transfer, snapshots, time travel', async () => {
      await using bank = await openBank('bank_class', persistence());
      const id = await classStyleDay(bank);
      const alice = await bank.get(BankAccount, id);
      assert.deepEqual([alice.balance, alice.version], [80n, 9]);
      assert.equal((await bank.get(BankAccount, id, { version: 2 })).balance, 500n);
      assert.equal((await bank.snapshots!.latest(id, BankAccount))?.version, 5);
      assert.throws(() => alice.withdraw(181n), AccountError);
      await assert.rejects(
        bank.update(BankAccount, id, (a) => a.close()),
        AccountError,
      );
    });

    it('runs the functional style on the same kind of application', async () => {
      await using bank = await openBank('bank_decider', persistence());
      const id = `account-${randomBytes(4).toString('hex')}`;
      await functionalDay(bank, id);
      assert.deepEqual(await bank.load(account, id), {
        state: { status: 'open', balance: 200n, overdraftLimit: 100n },
        version: 8,
      });
      assert.equal((await bank.snapshots!.latest(id, account))?.version, 5);
      await assert.rejects(
        bank.handle(account, id, { type: 'Withdraw', amount: 301n }),
        AccountError,
      );
      await assert.rejects(
        bank.handle(account, id, { type: 'Deposit', amount: 1n }, { expectedVersion: 3 }),
        (e) => isEventumError(e, 'ERR_CONFLICT'),
      );
    });
  });
}

describe('bank example: old data', () => {
  it('upcasts version-1 events and snapshots, through compression and encryption', async () => {
    const key = AesCipher.createKey();
    await using bank = await openBank(
      'bank_old',
      { type: 'lmdb', path: join(dir.path, 'old.mdb') },
      key,
    );
    // The old code's mapper: same key and compression, no upcasters (so no schema versions).
    const oldMapper = new Mapper({ cipher: new AesCipher(key), compressor: zlibCompressor });
    const v1 = [
      { type: 'AccountOpened', data: { owner: 'Dan', overdraftLimit: 0n } },
      { type: 'MoneyDeposited', data: { cents: 700 } },
      { type: 'MoneyWithdrawn', data: { cents: 200 } },
      { type: 'MoneyDeposited', data: { cents: 5 } },
    ];
    const stored = v1.map((e, i) =>
      oldMapper.toStored({ ...e, meta: makeMeta('acct-old', i + 1) }),
    );
    await bank.events.recorder.insertEvents(stored);
    assert.equal((await bank.get(BankAccount, 'acct-old')).balance, 505n);
    const snapshot = { owner: 'Dan', balance: 500, overdraftLimit: 0n, closed: false };
    await bank.snapshots!.put(
      {
        originatorId: 'acct-old',
        version: 3,
        kind: 'BankAccount',
        state: snapshot,
        createdOn: undefined,
        modifiedOn: undefined,
      },
      {},
    );
    const fromSnapshot = await bank.get(BankAccount, 'acct-old', { version: 4 });
    assert.deepEqual([fromSnapshot.balance, fromSnapshot.version], [505n, 4]);
  });
});
