/**
 * The bus rows of a run (`bus/*` scenarios) as a markdown table: eventum's NATS bus beside raw
 * nats.js (bare JSON, and the same envelope and headers built by hand), and the server's register
 * throughput with the bridge beside without it. "vs base" is
 * the row's throughput over its baseline's (above 1× is faster) and, for latency rows, the
 * baseline's p50 over the row's (above 1× answers sooner).
 */
import { humanMs, humanRate, humanRatio } from './format.js';
import type { BenchRecord } from './record.js';

const BASELINES: Readonly<Record<string, string>> = {
  'bus/publish-deliver': 'nats-raw',
  'bus/throughput': 'nats-raw',
  'bus/jetstream/publish-deliver': 'jetstream-raw',
  'bus/jetstream/throughput': 'jetstream-raw',
  'bus/bridge-register': 'eventum-memory',
  'bus/notify/in-process': 'eventum-bus',
  'bus/notify/nats': 'eventum-bus',
};

export function busTable(rows: readonly BenchRecord[]): string[] {
  const out = [
    '## Bus: eventum on NATS beside raw nats.js, and the server bridge',
    '',
    '| scenario | target | parameters | throughput | p50 | p99 | vs base |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const base = rows.find(
      (r) => r.scenario === row.scenario && r.target === BASELINES[row.scenario],
    );
    const params = Object.entries(row.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    if (row.skipped !== undefined) {
      out.push(
        `| ${row.scenario} | ${row.target} | ${params} | skipped: ${row.skipped.replaceAll('|', '\\|')} | | | |`,
      );
      continue;
    }
    const latency = row.latencyMs;
    out.push(
      `| ${row.scenario} | ${row.target} | ${params} | ${humanRate(row.opsPerSec)} ${row.unit} | ${latency ? humanMs(latency.p50) : ''} | ${latency ? humanMs(latency.p99) : ''} | ${versus(base, row)} |`,
    );
  }
  return out;
}

function versus(base: BenchRecord | undefined, row: BenchRecord): string {
  if (base === undefined || base === row || base.skipped !== undefined) return '';
  if (row.latencyMs !== undefined && base.latencyMs !== undefined && row.latencyMs.p50 > 0) {
    return `${humanRatio(base.latencyMs.p50 / row.latencyMs.p50)} (p50)`;
  }
  return base.opsPerSec > 0 ? humanRatio(row.opsPerSec / base.opsPerSec) : '';
}
