import { Aggregate, event, newId } from '@eventum/sourcing';

import { AccountError } from './events.js';
import type { AccountEvent } from './events.js';

/** The class style: command methods check, `@event` methods record and apply. */
export class BankAccount extends Aggregate<AccountEvent> {
  /** Version 1 snapshots kept the balance as a number of cents. */
  static readonly snapshotVersion = 2;
  static readonly upcastSnapshot = {
    1: (state: { balance: number }) => ({ ...state, balance: BigInt(state.balance) }),
  };

  owner = '';
  balance = 0n;
  overdraftLimit = 0n;
  closed = false;

  static open(owner: string, overdraftLimit = 0n): BankAccount {
    const account = new BankAccount(newId());
    account.opened({ owner, overdraftLimit });
    return account;
  }

  deposit(amount: bigint): void {
    this.#assertOpen();
    if (amount <= 0n) throw new AccountError('a deposit must be positive');
    this.deposited({ amount, currency: 'EUR' });
  }

  withdraw(amount: bigint): void {
    this.#assertOpen();
    if (amount <= 0n) throw new AccountError('a withdrawal must be positive');
    if (this.balance - amount < -this.overdraftLimit) throw new AccountError('insufficient funds');
    this.withdrawn({ amount, currency: 'EUR' });
  }

  close(): void {
    this.#assertOpen();
    if (this.balance !== 0n) throw new AccountError('only an empty account can be closed');
    this.closedEvent({ closedAt: new Date() });
  }

  @event('AccountOpened') protected opened(data: { owner: string; overdraftLimit: bigint }): void {
    this.owner = data.owner;
    this.overdraftLimit = data.overdraftLimit;
  }

  @event('MoneyDeposited') protected deposited(data: { amount: bigint; currency: string }): void {
    this.balance += data.amount;
  }

  @event('MoneyWithdrawn') protected withdrawn(data: { amount: bigint; currency: string }): void {
    this.balance -= data.amount;
  }

  @event('AccountClosed') protected closedEvent(_data: { closedAt: Date }): void {
    this.closed = true;
  }

  #assertOpen(): void {
    if (this.closed) throw new AccountError('the account is closed');
  }
}
