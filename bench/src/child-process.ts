/**
 * A helper process of a scenario (fan-out subscribers, load writer): started with its arguments
 * as one JSON string, it prints `ready` once set up and, at its end, one JSON line of results.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface HelperProcess<T> {
  readonly child: ChildProcess;
  /** The result line, parsed, once the process exited. */
  readonly result: Promise<T>;
}

/** Starts `main` with `args` and waits for its `ready` line. `stdin: 'pipe'` lets the caller
 * tell it to stop by ending its stdin. */
export async function startHelper<T>(
  main: string,
  args: unknown,
  { stdin = 'ignore' }: { stdin?: 'ignore' | 'pipe' } = {},
): Promise<HelperProcess<T>> {
  const child = spawn(process.execPath, [main, JSON.stringify(args)], {
    stdio: [stdin, 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit');
  const first = await lines.next();
  if (first.done === true || first.value !== 'ready')
    throw new Error(`${main} did not start (exit ${String((await exited)[0])})`);
  const result = (async () => {
    const line = await lines.next();
    await exited;
    if (line.done === true) throw new Error(`${main} exited without a result`);
    return JSON.parse(line.value) as T;
  })();
  // Awaited only after the measurement; until then a failure must not count as unhandled.
  result.catch(() => {});
  return { child, result };
}
