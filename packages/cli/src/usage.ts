import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

import { isEventumError } from '@eventum/core';

/** A command line the user got wrong: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/** `parseArgs` with errors turned into {@link UsageError}s naming the command. */
export function parseCommand<T extends ParseArgsConfig['options']>(
  command: string,
  args: readonly string[],
  options: T,
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values, positionals };
  } catch (error) {
    throw new UsageError(`eventum ${command}: ${(error as Error).message}`);
  }
}

/** Parses an integer option, naming it when it is not one. */
export function integerOption(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Turns an error into the line printed to the user and the exit code. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) {
    return { message: `${error.message}\nRun with --help for usage.`, exitCode: 2 };
  }
  if (isEventumError(error)) {
    // The cause (a driver's or the system's error) is often what tells the user what to fix.
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return { message: `${error.code}: ${error.message}${cause}`, exitCode: 1 };
  }
  return { message: String((error as Error)?.stack ?? error), exitCode: 1 };
}
