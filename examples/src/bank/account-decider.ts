import type { Decider } from '@eventum/sourcing';

import { AccountError } from './events.js';
import type { AccountEvent } from './events.js';

/** The functional style: a state value and commands decided against it. */
export interface Account {
  readonly status: 'new' | 'open' | 'closed';
  readonly balance: bigint;
  readonly overdraftLimit: bigint;
}

export type AccountCommand =
  | { readonly type: 'Open'; readonly owner: string; readonly overdraftLimit?: bigint }
  | { readonly type: 'Deposit'; readonly amount: bigint }
  | { readonly type: 'Withdraw'; readonly amount: bigint }
  | { readonly type: 'Close' };

function decide(command: AccountCommand, state: Account): AccountEvent {
  if (command.type === 'Open') {
    if (state.status !== 'new') throw new AccountError('the account is already open');
    return {
      type: 'AccountOpened',
      data: { owner: command.owner, overdraftLimit: command.overdraftLimit ?? 0n },
    };
  }
  if (state.status !== 'open') throw new AccountError(`the account is ${state.status}`);
  switch (command.type) {
    case 'Deposit':
      if (command.amount <= 0n) throw new AccountError('a deposit must be positive');
      return { type: 'MoneyDeposited', data: { amount: command.amount, currency: 'EUR' } };
    case 'Withdraw':
      if (state.balance - command.amount < -state.overdraftLimit)
        throw new AccountError('insufficient funds');
      return { type: 'MoneyWithdrawn', data: { amount: command.amount, currency: 'EUR' } };
    case 'Close':
      if (state.balance !== 0n) throw new AccountError('only an empty account can be closed');
      return { type: 'AccountClosed', data: { closedAt: new Date() } };
  }
}

function evolve(state: Account, event: AccountEvent): Account {
  switch (event.type) {
    case 'AccountOpened':
      return { ...state, status: 'open', overdraftLimit: event.data.overdraftLimit };
    case 'MoneyDeposited':
      return { ...state, balance: state.balance + event.data.amount };
    case 'MoneyWithdrawn':
      return { ...state, balance: state.balance - event.data.amount };
    case 'AccountClosed':
      return { ...state, status: 'closed' };
  }
}

export const account: Decider<Account, AccountCommand, AccountEvent> = {
  name: 'account',
  decide,
  evolve,
  initialState: () => ({ status: 'new', balance: 0n, overdraftLimit: 0n }),
};
