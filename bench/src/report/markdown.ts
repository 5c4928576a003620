/**
 * The run as a markdown report: one table per comparison scenario with each target's figures
 * and its ratio to eventum on LMDB, the memory figures, then the micro-benchmarks.
 */
import { humanMs, humanRate, ratio } from './format.js';
import { COMPARISONS, REFERENCE_TARGET } from './record.js';
import { busTable } from './bus-table.js';
import { DISK_SCENARIO, diskTable } from './disk-table.js';
import { renderSummary } from './summary.js';
import type { BenchRecord, BenchRun } from './record.js';

const TITLES: Record<string, string> = {
  'register-batch': 'Register, batches of 1,000 events, each acknowledged',
  'register-batch-pipelined':
    'Register, batches of 1,000 events, each acknowledged, 4 in flight on one connection',
  'register-single': 'Register one event per request, acknowledged, in sequence',
  latest: 'Latest value of each of 100 event types, one request',
  'timeseries-read': 'Read every stored event oldest first, 1,000 per page',
  fanout: 'Fan-out to 10 subscribers at a fixed rate: delay from publication to delivery',
  'fanout-50k': 'Fan-out to 10 subscribers at 50,000 events/s, one batch per 1 ms tick',
  'latest-under-load': 'Latest value of 100 types while another client registers at full speed',
};

export function renderMarkdown(run: BenchRun, chartFile?: string): string {
  const lines = [
    `# eventum benchmarks, ${run.startedAt.slice(0, 10)}${run.quick ? ' (quick run: tiny sizes)' : ''}`,
    '',
    `Machine: ${machine(run.system)}. Commit ${run.commit}; the run took ${run.durationSeconds} s.`,
    'Each figure is the median of its rounds with their range; servers ran in their own',
    'processes, clients in the benchmark process, all over loopback. "Server" is the CPU time and',
    'peak memory of the server process during the measurement.',
    '',
  ];
  lines.push(
    '## Summary',
    '',
    `Each cell: the headline figure, and in brackets the ratio to ${REFERENCE_TARGET} (above 1×`,
    'means eventum is ahead: faster, or answering sooner). Details per scenario below.',
    '',
    renderSummary(run),
    '',
  );
  if (chartFile !== undefined)
    lines.push(`![throughput and latency per scenario](${chartFile})`, '');
  for (const { scenario, by } of COMPARISONS) {
    const rows = run.results.filter((r) => r.scenario === scenario);
    if (rows.length > 0) lines.push(...comparisonTable(scenario, by, rows), '');
  }
  const disk = run.results.filter((r) => r.scenario === DISK_SCENARIO);
  if (disk.length > 0) lines.push(...diskTable(disk), '');
  const scaleOut = run.results.filter((r) => r.scenario === 'scale-out-register');
  if (scaleOut.length > 0) lines.push(...scaleOutTable(scaleOut), '');
  const memory = run.results.filter((r) => r.scenario === 'memory');
  if (memory.length > 0) lines.push(...memoryTable(memory), '');
  const bus = run.results.filter((r) => r.scenario.startsWith('bus/'));
  if (bus.length > 0) lines.push(...busTable(bus), '');
  const micro = run.results.filter(
    (r) => r.scenario.includes('/') && !r.scenario.startsWith('bus/'),
  );
  if (micro.length > 0) lines.push(...microTable(micro), '');
  return `${lines.join('\n')}`;
}

function machine(system: Record<string, unknown>): string {
  const { cpu, cores, memGiB, node, platform } = system;
  return `${String(cpu)}, ${String(cores)} cores, ${String(memGiB)} GiB, Node ${String(node)}, ${String(platform)}`;
}

function comparisonTable(
  scenario: string,
  by: 'rate' | 'p50',
  rows: readonly BenchRecord[],
): string[] {
  const reference = rows.find((r) => r.target === REFERENCE_TARGET && r.skipped === undefined);
  const direction =
    by === 'rate'
      ? `${REFERENCE_TARGET}'s rate over the target's: above 1× means eventum is faster`
      : `the target's p50 over ${REFERENCE_TARGET}'s: above 1× means eventum answers sooner`;
  const out = [
    `## ${TITLES[scenario] ?? scenario}`,
    '',
    `Ratio: ${direction}.`,
    '',
    by === 'rate'
      ? '| target | throughput | server CPU | server peak RSS | ratio |'
      : '| target | throughput | p50 | p99 | max | server CPU | server peak RSS | ratio |',
    by === 'rate' ? '|---|---|---|---|---|' : '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    if (row.skipped !== undefined) {
      const empty = by === 'rate' ? ' | | |' : ' | | | | | |';
      out.push(`| ${row.target} | skipped: ${escapeCell(row.skipped)}${empty} |`);
      continue;
    }
    const latency = row.latencyMs;
    const latencyCells =
      by === 'rate'
        ? []
        : latency === undefined
          ? ['—', '—', '—']
          : [humanMs(latency.p50), humanMs(latency.p99), humanMs(latency.max)];
    out.push(
      `| ${[
        row.target,
        `${humanRate(row.opsPerSec)} ${row.unit}${spread(row)}`,
        ...latencyCells,
        row.server
          ? `${row.server.cpuSeconds.toFixed(1)} s, ${row.server.cpuPercent.toFixed(0)}%`
          : 'in-process',
        row.server ? `${row.server.peakRssMiB.toFixed(0)} MiB` : '',
        ratio(reference, row, by),
      ].join(' | ')} |`,
    );
  }
  return out;
}

function spread(row: BenchRecord): string {
  if (row.rounds < 2) return '';
  return ` (${humanRate(row.spread.min)}–${humanRate(row.spread.max)})`;
}

function scaleOutTable(rows: readonly BenchRecord[]): string[] {
  const one = rows.find((r) => r.params['servers'] === 1 && r.skipped === undefined);
  const out = [
    '## Register on 1, 2 and 3 servers sharing one PostgreSQL schema',
    '',
    'One client per server, batches of 1,000, all servers together; ratio to one server.',
    '',
    '| target | servers | throughput | ratio |',
    '|---|---|---|---|',
  ];
  for (const row of rows) {
    const servers = String(row.params['servers']);
    if (row.skipped !== undefined) {
      out.push(`| ${row.target} | ${servers} | skipped: ${escapeCell(row.skipped)} | |`);
      continue;
    }
    const vs = one === undefined ? '' : `${(row.opsPerSec / one.opsPerSec).toFixed(2)}×`;
    out.push(
      `| ${row.target} | ${servers} | ${humanRate(row.opsPerSec)} ${row.unit}${spread(row)} | ${vs} |`,
    );
  }
  return out;
}

function memoryTable(rows: readonly BenchRecord[]): string[] {
  const out = [
    '## Memory with stored events',
    '',
    'The server opened on an LMDB file holding the events; resident memory once started and after',
    'a latest query and a read of the newest 1,000 events.',
    '',
    '| target | stored events | RSS opened | RSS after queries | file on disk | fill rate |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    if (row.skipped !== undefined) {
      out.push(`| ${row.target} | skipped: ${escapeCell(row.skipped)} | | | | |`);
      continue;
    }
    const x = row.extra ?? {};
    const count = (key: string, suffix = '') =>
      typeof x[key] === 'number' ? `${humanRate(x[key])}${suffix}` : '—';
    const mib = (key: string) => (typeof x[key] === 'number' ? `${x[key].toFixed(0)} MiB` : '—');
    out.push(
      `| ${row.target} | ${count('storedEvents')} | ${mib('rssMiBOpened')} | ${mib('rssMiBAfterQueries')} | ${mib('diskMiB')} | ${count('fillEventsPerSec', ' events/s')} |`,
    );
  }
  return out;
}

function microTable(rows: readonly BenchRecord[]): string[] {
  const out = [
    '## Micro-benchmarks and event sourcing (by target)',
    '',
    '| scenario | target | parameters | throughput | p50 | p99 |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const params = Object.entries(row.params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    out.push(
      `| ${row.scenario} | ${row.target} | ${escapeCell(params)} | ${humanRate(row.opsPerSec)} ${row.unit}${spread(row)} | ${row.latencyMs ? humanMs(row.latencyMs.p50) : ''} | ${row.latencyMs ? humanMs(row.latencyMs.p99) : ''} |`,
    );
  }
  return out;
}

/** Keeps free text (a skip reason, say) inside its cell and visible: GitHub drops `<tag>`s. */
function escapeCell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
}
