import { AesCipher, openApplication } from '@eventum/sourcing';
import type { Application, PersistenceConfig } from '@eventum/sourcing';

import { BankAccount } from './account-aggregate.js';
import { account } from './account-decider.js';
import { accountUpcasters } from './events.js';

/** Opens the bank on `persistence` with snapshots every 5 versions, a cache, zlib and AES-GCM. */
export function openBank(
  name: string,
  persistence: PersistenceConfig,
  cipherKey = AesCipher.createKey(),
): Promise<Application> {
  return openApplication({
    name,
    upcasters: accountUpcasters,
    config: {
      persistence,
      cipherKey,
      compression: 'zlib',
      snapshotIntervals: { BankAccount: 5, account: 5 },
      cacheMaxSize: 1000,
    },
  });
}

/** A day at the bank in the class style; returns the account id. */
export async function classStyleDay(bank: Application): Promise<string> {
  const alice = BankAccount.open('Alice', 100n);
  alice.deposit(500n);
  await bank.save(alice);
  for (let i = 0; i < 6; i++) await bank.update(BankAccount, alice.id, (a) => a.withdraw(50n));
  const bob = BankAccount.open('Bob');
  const payer = await bank.get(BankAccount, alice.id);
  payer.withdraw(120n);
  bob.deposit(120n);
  await bank.save(payer, bob); // a transfer: both accounts or neither
  return alice.id;
}

/** The same day in the functional style; returns the stream id. */
export async function functionalDay(bank: Application, id: string): Promise<void> {
  await bank.handle(account, id, { type: 'Open', owner: 'Carol', overdraftLimit: 100n });
  await bank.handle(account, id, { type: 'Deposit', amount: 500n });
  for (let i = 0; i < 6; i++) await bank.handle(account, id, { type: 'Withdraw', amount: 50n });
}
