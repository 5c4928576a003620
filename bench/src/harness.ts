/**
 * The benchmark harness: runs a scenario's operation in timed rounds after a warm-up, measures
 * latency percentiles, and collects every result as a record of the run (`report/record.ts`).
 */
import { execSync } from 'node:child_process';
import { arch, cpus, platform, totalmem } from 'node:os';

import type { ServerUsage } from './proc-stats.js';
import type { BenchRecord } from './report/record.js';

/** One measured result as a scenario reports it; the runner adds system, commit and time. */
export interface BenchResult {
  readonly scenario: string;
  /** What was measured: an eventum target or a peer; micro-benchmarks default to `eventum`. */
  readonly target?: string;
  readonly params: Record<string, unknown>;
  /** What `opsPerSec` counts; default `ops/s`. */
  readonly unit?: string;
  /** The median of the rounds; `spread` their min and max. */
  readonly opsPerSec: number;
  readonly spread: { readonly min: number; readonly max: number };
  readonly rounds: number;
  readonly latencyMs?: LatencyMs;
  readonly server?: ServerUsage;
  readonly extra?: Record<string, unknown>;
  /** Why the target could not be measured; such a result has no figures. */
  readonly skipped?: string;
}

export interface LatencyMs {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface MeasureOptions {
  /** Operations one round performs. */
  readonly ops: number;
  readonly rounds: number;
  readonly warmupRounds?: number;
}

/** Facts about the machine a result was measured on. */
export function systemInfo(): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/** The checked-out commit, with `+dirty` when the work tree has changes. */
export function currentCommit(): string {
  try {
    const run = (command: string) =>
      execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const dirty = run('git status --porcelain --untracked-files=no') === '' ? '' : '+dirty';
    return run('git rev-parse --short HEAD') + dirty;
  } catch {
    return 'unknown';
  }
}

/** Runs `round` (which performs `ops` operations) repeatedly and returns median ops/s. */
export async function measureRounds(
  round: () => void | Promise<void>,
  { ops, rounds, warmupRounds = 1 }: MeasureOptions,
): Promise<{ opsPerSec: number; spread: { min: number; max: number }; rounds: number }> {
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
    rounds,
  };
}

/** Awaits `op` `count` times in sequence; returns each call's duration in ms, ascending. */
export async function sampleLatencies(
  count: number,
  op: () => Promise<unknown>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await op();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

/** A result from ascending latency samples of sequential operations: rate and percentiles. */
export function latencyResult(samples: readonly number[]): {
  opsPerSec: number;
  spread: { min: number; max: number };
  rounds: number;
  latencyMs: LatencyMs;
} {
  const seconds = samples.reduce((a, b) => a + b, 0) / 1000;
  const opsPerSec = seconds > 0 ? samples.length / seconds : 0;
  return {
    opsPerSec,
    spread: { min: opsPerSec, max: opsPerSec },
    rounds: 1,
    latencyMs: latencyPercentiles(samples),
  };
}

export function latencyPercentiles(sorted: readonly number[]): LatencyMs {
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
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

/**
 * The results saying `target` could not be measured in `scenarios`, because opening it threw
 * `error` (a peer not reachable, say): reported as skipped with the reason, never as zero.
 */
export function skippedResults(
  scenarios: readonly string[],
  target: string,
  params: Record<string, unknown>,
  error: unknown,
): BenchResult[] {
  const reason = (error as Error).message.split('\n')[0] ?? 'unknown';
  process.stderr.write(`bench: ${target} skipped: ${reason}\n`);
  return scenarios.map((scenario) => ({
    scenario,
    target,
    params,
    opsPerSec: 0,
    spread: { min: 0, max: 0 },
    rounds: 0,
    skipped: reason,
  }));
}

/** Completes a scenario's result into a record of the run. */
export function toRecord(
  result: BenchResult,
  system: Record<string, unknown>,
  commit: string,
): BenchRecord {
  return {
    ...result,
    target: result.target ?? 'eventum',
    unit: result.unit ?? 'ops/s',
    system,
    commit,
    at: new Date().toISOString(),
  };
}
