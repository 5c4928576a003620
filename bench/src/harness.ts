/**
 * The benchmark harness: runs a scenario's operation in timed rounds after a warm-up, reports the
 * median rate with its spread as one JSON line per result (stdout and `bench/results/`).
 */
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured result. `opsPerSec` is the median of the rounds; `spread` their min and max. */
export interface BenchResult {
  readonly scenario: string;
  readonly params: Record<string, unknown>;
  readonly opsPerSec: number;
  readonly spread: { readonly min: number; readonly max: number };
  readonly rounds: number;
  readonly latencyMs?: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly extra?: Record<string, unknown>;
}

export interface MeasureOptions {
  /** Operations per round (the op callback is called this many times, or once per round if
   * `batch` is true and it performs them all itself). */
  readonly ops: number;
  readonly rounds: number;
  readonly warmupRounds?: number;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Facts about the machine and code a result was measured on. */
export function systemInfo(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    commit,
  };
}

/** Runs `round` (which performs `ops` operations) repeatedly and returns median ops/s. */
export async function measureRounds(
  round: () => void | Promise<void>,
  { ops, rounds, warmupRounds = 1 }: MeasureOptions,
): Promise<{ opsPerSec: number; spread: { min: number; max: number } }> {
  for (let i = 0; i < warmupRounds; i++) await round();
  const rates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await round();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(ops / seconds);
  }
  rates.sort((a, b) => a - b);
  return {
    opsPerSec: median(rates),
    spread: { min: rates[0] ?? 0, max: rates[rates.length - 1] ?? 0 },
  };
}

export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** p-th percentile (0..100) of ascending-sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/** Writes one result as a JSON line to stdout and to `bench/results/<date>.jsonl`. */
export function report(result: BenchResult, system: Record<string, unknown>): void {
  const line = JSON.stringify({ ...result, system, at: new Date().toISOString() });
  process.stdout.write(`${line}\n`);
  mkdirSync(resultsDir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  appendFileSync(join(resultsDir, `${date}.jsonl`), `${line}\n`);
}
