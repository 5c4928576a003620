/**
 * A helper process of a scenario (fan-out subscribers, load writer): started with its arguments
 * as one JSON string, it prints `ready` once set up, may print marker lines (a bare word, e.g.
 * `warm`) as it goes, and at its end one JSON line of results.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface HelperProcess<T> {
  readonly child: ChildProcess;
  /** The result line, parsed, once the process exited. */
  readonly result: Promise<T>;
  /** Resolves when the helper prints the line `name`; rejects if it exits first. */
  marker(name: string): Promise<void>;
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
  const seen = new Set<string>();
  const waiting = new Map<string, () => void>();
  const result = (async () => {
    for (let line = await lines.next(); line.done !== true; line = await lines.next()) {
      if (!/^[a-z]+$/.test(line.value)) {
        await exited;
        return JSON.parse(line.value) as T;
      }
      seen.add(line.value);
      waiting.get(line.value)?.();
    }
    throw new Error(`${main} exited without a result`);
  })();
  // Awaited only after the measurement; until then a failure must not count as unhandled.
  result.catch(() => {});
  const marker = (name: string) =>
    seen.has(name)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiting.set(name, resolve)),
          result.then(() => {
            throw new Error(`${main} ended before printing ${name}`);
          }),
        ]);
  return { child, result, marker };
}
