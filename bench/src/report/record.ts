/**
 * What `npm run bench` writes to `bench/results/<date>.json`: the run, and one record per
 * result. The markdown table and the chart are rendered from this alone.
 */

export interface BenchRecord {
  /** Comparison scenarios: `register-batch`, `register-single`, `latest`, `timeseries-read`,
   * `fanout`, `memory`. Micro-benchmarks have a slash: `codec/encode-event`. */
  readonly scenario: string;
  /** `eventum-lmdb` (the reference), `eventum-textlog`, `eventum-memory`, `lmdb-raw`,
   * `nats-jetstream`, `postgres`; micro-benchmarks: `eventum`. */
  readonly target: string;
  readonly params: Record<string, unknown>;
  /** What `opsPerSec` counts: `events/s`, `requests/s`, `queries/s`, ... */
  readonly unit: string;
  /** Median of the rounds, with their min and max. */
  readonly opsPerSec: number;
  readonly spread: { readonly min: number; readonly max: number };
  readonly rounds: number;
  readonly latencyMs?: { readonly p50: number; readonly p99: number; readonly max: number };
  /** CPU time and peak resident memory of the target's server process(es) meanwhile. */
  readonly server?: {
    readonly cpuSeconds: number;
    readonly cpuPercent: number;
    readonly peakRssMiB: number;
  };
  readonly extra?: Record<string, unknown>;
  /** Why the target could not be measured: reported as skipped, never as zero. */
  readonly skipped?: string;
  readonly system: Record<string, unknown>;
  readonly commit: string;
  /** ISO time of the result. */
  readonly at: string;
}

export interface BenchRun {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly system: Record<string, unknown>;
  readonly commit: string;
  readonly results: readonly BenchRecord[];
}

/** Comparison scenarios in report order, with what each is judged by. */
export const COMPARISONS: readonly { readonly scenario: string; readonly by: 'rate' | 'p50' }[] = [
  { scenario: 'register-batch', by: 'rate' },
  { scenario: 'register-batch-pipelined', by: 'rate' },
  { scenario: 'register-single', by: 'p50' },
  { scenario: 'latest', by: 'p50' },
  { scenario: 'timeseries-read', by: 'rate' },
  { scenario: 'fanout', by: 'p50' },
  { scenario: 'fanout-50k', by: 'p50' },
  { scenario: 'latest-under-load', by: 'p50' },
];

/** Scenarios judged by their tail too: the summary shows p50 / p99. */
export const TAIL_SCENARIOS: ReadonlySet<string> = new Set([
  'register-single',
  'fanout',
  'fanout-50k',
  'latest-under-load',
]);

/** The target every other is compared with. */
export const REFERENCE_TARGET = 'eventum-lmdb';
