import type { Event, Upcasters } from '@eventum/sourcing';

/** The bank account's events, shared by both styles. Amounts are cents as `bigint`. */
export type AccountEvent =
  | Event<'AccountOpened', { owner: string; overdraftLimit: bigint }>
  | Event<'MoneyDeposited', { amount: bigint; currency: string }>
  | Event<'MoneyWithdrawn', { amount: bigint; currency: string }>
  | Event<'AccountClosed', { closedAt: Date }>;

/**
 * Version 1 of `MoneyDeposited` / `MoneyWithdrawn` carried `{ cents: number }` and no currency;
 * version 2 is `{ amount: bigint, currency }`. Old events are upcast on read.
 */
const v1ToV2 = (data: { cents: number }) => ({ amount: BigInt(data.cents), currency: 'EUR' });

export const accountUpcasters: Upcasters = {
  MoneyDeposited: { 1: v1ToV2 },
  MoneyWithdrawn: { 1: v1ToV2 },
};

/** Why a command was refused. */
export class AccountError extends Error {}
