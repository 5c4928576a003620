/**
 * One compact table of the comparison scenarios: a row per scenario, a column per target, each
 * cell the scenario's headline figure (rate, or p50 latency) with its ratio to eventum on LMDB.
 * It heads the run's report and is what the project README shows.
 */
import { diskSummaryRow } from './disk-table.js';
import { humanMs, humanRate, ratio } from './format.js';
import { COMPARISONS, REFERENCE_TARGET, TAIL_SCENARIOS } from './record.js';
import type { BenchRecord, BenchRun } from './record.js';

const ROW_NAMES: Record<string, string> = {
  'register-batch': 'register, batches of 1,000 (events/s)',
  'register-batch-pipelined': 'register, 4 batches of 1,000 in flight (events/s)',
  'register-single': 'register one event (p50 / p99)',
  latest: 'latest of 100 types (p50)',
  'timeseries-read': 'read all, pages of 1,000 (events/s)',
  fanout: 'fan-out to 10 subscribers (p50 / p99)',
  'fanout-50k': 'fan-out at 50,000 events/s (p50 / p99)',
  'latest-under-load': 'latest of 100 types, writer at full speed (p50 / p99)',
};

export function renderSummary(run: BenchRun): string {
  const targets = [...new Set(run.results.filter(isComparison).map((r) => r.target))];
  const lines = [
    `| scenario | ${targets.join(' | ')} |`,
    `|---|${targets.map(() => '---').join('|')}|`,
  ];
  for (const { scenario, by } of COMPARISONS) {
    const rows = run.results.filter((r) => r.scenario === scenario);
    if (rows.length === 0) continue;
    const reference = rows.find((r) => r.target === REFERENCE_TARGET && r.skipped === undefined);
    const cells = targets.map((target) => {
      const row = rows.find((r) => r.target === target);
      if (row === undefined) return '—';
      if (row.skipped !== undefined) return 'skipped';
      const figure = headline(row, by, scenario);
      const versus = row === reference ? '' : ratio(reference, row, by);
      return versus === '' ? figure : `${figure} (${versus})`;
    });
    lines.push(`| ${ROW_NAMES[scenario] ?? scenario} | ${cells.join(' | ')} |`);
  }
  const disk = diskSummaryRow(run.results, targets);
  if (disk !== '') lines.push(disk);
  const memory = run.results.find((r) => r.scenario === 'memory' && r.skipped === undefined);
  if (memory?.extra !== undefined) {
    const x = memory.extra;
    const perEvent = Math.round((Number(x['diskMiB']) * 2 ** 20) / Number(x['storedEvents']));
    const cell = `${String(x['rssMiBAfterQueries'])} MiB RSS, ${String(x['diskMiB'])} MiB file (${perEvent} B/event)`;
    const cells = targets.map((target) => (target === memory.target ? cell : '—'));
    lines.push(
      `| server with ${humanRate(Number(x['storedEvents']))} events stored | ${cells.join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function isComparison(record: BenchRecord): boolean {
  return COMPARISONS.some((c) => c.scenario === record.scenario);
}

function headline(row: BenchRecord, by: 'rate' | 'p50', scenario: string): string {
  if (by === 'rate' || row.latencyMs === undefined) return humanRate(row.opsPerSec);
  const { p50, p99 } = row.latencyMs;
  return TAIL_SCENARIOS.has(scenario) ? `${humanMs(p50)} / ${humanMs(p99)}` : humanMs(p50);
}
