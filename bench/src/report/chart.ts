/**
 * The run as an SVG chart: one panel per comparison scenario, one bar per target. Throughput
 * panels are judged by rate (longer is better), latency panels by p50 with a tick at p99
 * (shorter is better). Both use a log scale, since the figures span four orders of magnitude.
 * Hand-written SVG: deterministic, no dependencies, readable on light and dark pages.
 */
import { humanMs, humanRate } from './format.js';
import { COMPARISONS } from './record.js';
import type { BenchRecord, BenchRun } from './record.js';

const WIDTH = 900;
const LABEL = 150;
const BAR_AREA = 560;
const ROW = 22;
const PANEL_GAP = 18;
const TITLE = 22;

const COLORS: Record<string, string> = {
  'eventum-lmdb': '#1d4ed8',
  'eventum-textlog': '#3b82f6',
  'eventum-memory': '#93c5fd',
  'lmdb-raw': '#78716c',
  'nats-jetstream': '#ea580c',
  postgres: '#9333ea',
};

const PANEL_TITLES: Record<string, string> = {
  'register-batch': 'register, batches of 1,000 (events/s, longer is better)',
  'register-batch-pipelined': 'register, 4 batches of 1,000 in flight (events/s, longer is better)',
  'register-single': 'register one event, round trip (p50, tick = p99; shorter is better)',
  latest: 'latest of 100 types (p50, tick = p99; shorter is better)',
  'timeseries-read': 'read all, pages of 1,000 (events/s, longer is better)',
  fanout: 'fan-out to 10 subscribers (delivery delay p50, tick = p99; shorter is better)',
  'fanout-50k': 'fan-out at 50,000 events/s (delivery delay p50, tick = p99; shorter is better)',
  'latest-under-load': 'latest of 100 types under a full-speed writer (p50, tick = p99)',
};

export function renderChart(run: BenchRun): string {
  const body: string[] = [];
  let y = 40;
  for (const { scenario, by } of COMPARISONS) {
    const rows = run.results.filter((r) => r.scenario === scenario);
    if (rows.length === 0) continue;
    body.push(text(12, y, PANEL_TITLES[scenario] ?? scenario, 'font-weight="600"'));
    y += TITLE - 8;
    const values = rows.filter((r) => r.skipped === undefined).flatMap((r) => shown(r, by));
    const scale = logScale(values);
    for (const row of rows) {
      body.push(text(LABEL - 8, y + 15, row.target, 'text-anchor="end"'));
      if (row.skipped !== undefined) {
        body.push(text(LABEL + 4, y + 15, 'skipped', 'fill="#6b7280" font-style="italic"'));
      } else {
        body.push(...bar(row, by, scale, y));
      }
      y += ROW;
    }
    y += PANEL_GAP;
  }
  const height = y;
  const title = `eventum next to its peers, ${run.startedAt.slice(0, 10)}${run.quick ? ' (quick run)' : ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(12, 22, title, 'font-size="15" font-weight="700"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The figures a row's bar shows: its rate, or its p50 and p99. */
function shown(row: BenchRecord, by: 'rate' | 'p50'): number[] {
  if (by === 'rate') return [row.opsPerSec];
  return row.latencyMs ? [row.latencyMs.p50, row.latencyMs.p99] : [];
}

/** Maps a positive value to a bar length: log scale over the panel's values, with margins. */
function logScale(values: readonly number[]): (v: number) => number {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return () => 0;
  const low = Math.log10(Math.min(...positive)) - 0.5;
  const high = Math.log10(Math.max(...positive)) + 0.1;
  const span = Math.max(high - low, 1);
  return (v) => (v > 0 ? Math.max(2, ((Math.log10(v) - low) / span) * BAR_AREA) : 0);
}

function bar(row: BenchRecord, by: 'rate' | 'p50', scale: (v: number) => number, y: number) {
  const color = COLORS[row.target] ?? '#6b7280';
  if (by === 'rate') {
    const length = scale(row.opsPerSec);
    return [
      rect(LABEL, y + 4, length, ROW - 8, color),
      text(LABEL + length + 6, y + 15, `${humanRate(row.opsPerSec)} ${row.unit}`),
    ];
  }
  const latency = row.latencyMs;
  if (latency === undefined)
    return [text(LABEL + 4, y + 15, 'no latency recorded', 'fill="#6b7280" font-style="italic"')];
  const p50 = scale(latency.p50);
  const p99 = scale(latency.p99);
  return [
    rect(LABEL, y + 4, p50, ROW - 8, color),
    // A whisker from the p50 bar's end to the p99 tick.
    `<line x1="${fmt(LABEL + p50)}" y1="${y + ROW / 2}" x2="${fmt(LABEL + p99)}" y2="${y + ROW / 2}" stroke="${color}" stroke-width="1"/>`,
    `<line x1="${fmt(LABEL + p99)}" y1="${y + 3}" x2="${fmt(LABEL + p99)}" y2="${y + ROW - 3}" stroke="${color}" stroke-width="2"/>`,
    text(
      LABEL + Math.max(p50, p99) + 6,
      y + 15,
      `p50 ${humanMs(latency.p50)} · p99 ${humanMs(latency.p99)}`,
    ),
  ];
}

function rect(x: number, y: number, width: number, height: number, fill: string): string {
  return `<rect x="${fmt(x)}" y="${y}" width="${fmt(width)}" height="${height}" rx="2" fill="${fill}"/>`;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  const fill = attributes.includes('fill=') ? '' : ' fill="#111827"';
  return `<text x="${fmt(x)}" y="${y}"${fill} ${attributes}>${escapeXml(content)}</text>`;
}

/** Two decimals at most, so the output does not depend on float noise. */
function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function escapeXml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
