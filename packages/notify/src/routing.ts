import { invalidArgument, isValidSubject, isValidSubjectPattern } from '@eventum/core';

const SYSTEM = /^[A-Za-z0-9-]+$/;
const QUEUE = /^[A-Za-z0-9_-]+$/;

/** Checks a system name: letters, digits and `-` (no `_`: it separates the queue prefix). */
export function checkSystem(system: string): string {
  if (!SYSTEM.test(system)) {
    throw invalidArgument(`system must be letters, digits and -, got ${JSON.stringify(system)}`);
  }
  return system;
}

/**
 * The bus queue of a named subscriber: `<system>_<queue>` (ION prefixed named queues with the
 * system name so two systems sharing a broker never share a queue). One token, so it is also a
 * valid JetStream durable consumer name.
 */
export function queueName(system: string, queue: string): string {
  if (!QUEUE.test(queue)) {
    throw invalidArgument(`queue must be letters, digits, _ and -, got ${JSON.stringify(queue)}`);
  }
  return `${system}_${queue}`;
}

/** Checks a subject prefix: tokens without whitespace, `*` or `>` (a prefix is never a pattern). */
export function checkPrefix(prefix: string): string {
  if (!isValidSubject(prefix)) {
    throw invalidArgument(`subject prefix must be a valid subject, got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** The subject of a notification: `<prefix>.<kind id>.<origin>` (ION's `<event_id>.<origin>`). */
export function notificationSubject(prefix: string, kindId: number, origin: string): string {
  const subject = `${prefix}.${kindId}.${origin}`;
  if (!isValidSubject(subject)) throw invalidArgument(`invalid origin ${JSON.stringify(origin)}`);
  return subject;
}

/**
 * The pattern of a subscription: a missing kind is `*` (any kind), a missing origin `>` (any
 * origin, whatever its number of tokens). An origin may itself hold wildcards (`chan1.*`,
 * `chan1.>`).
 */
export function notificationPattern(prefix: string, kindId?: number, origin?: string): string {
  const pattern = `${prefix}.${kindId ?? '*'}.${origin ?? '>'}`;
  if (!isValidSubjectPattern(pattern)) {
    throw invalidArgument(`invalid origin pattern ${JSON.stringify(origin)}`);
  }
  return pattern;
}

/** Where a notification's subject routes it. */
export interface Route {
  readonly kindId: number;
  readonly origin: string;
}

/** Splits a delivered subject into kind id and origin; undefined when it is not a notification's. */
export function parseSubject(prefix: string, subject: string): Route | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const rest = subject.slice(prefix.length + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  const kindId = Number(rest.slice(0, dot));
  if (!Number.isSafeInteger(kindId)) return undefined;
  return { kindId, origin: rest.slice(dot + 1) };
}
