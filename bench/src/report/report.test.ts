import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { renderChart } from './chart.js';
import { humanMs, humanRate } from './format.js';
import { renderMarkdown } from './markdown.js';
import type { BenchRecord, BenchRun } from './record.js';

const system = { node: 'v20', platform: 'linux-x64', cpu: 'Test CPU', cores: 2, memGiB: 8 };

function record(fields: Partial<BenchRecord> & Pick<BenchRecord, 'scenario' | 'target'>) {
  return {
    params: {},
    unit: 'events/s',
    opsPerSec: 0,
    spread: { min: 0, max: 0 },
    rounds: 3,
    system,
    commit: 'abc1234',
    at: '2026-11-23T00:00:00.000Z',
    ...fields,
  };
}

const rate = (target: string, opsPerSec: number) =>
  record({
    scenario: 'register-batch',
    target,
    opsPerSec,
    spread: { min: opsPerSec, max: opsPerSec },
  });

const latency = (target: string, p50: number) =>
  record({
    scenario: 'register-single',
    target,
    unit: 'requests/s',
    opsPerSec: 1000 / p50,
    rounds: 1,
    latencyMs: { p50, p99: p50 * 4, max: p50 * 10 },
  });

const disk = (target: string, bytesPerEvent: number) =>
  record({
    scenario: 'disk-per-event',
    target,
    unit: 'bytes/event',
    rounds: 1,
    extra: { storedEvents: 1000, bytes: bytesPerEvent * 1000, bytesPerEvent },
  });

const run: BenchRun = {
  startedAt: '2026-11-23T12:00:00.000Z',
  durationSeconds: 600,
  quick: false,
  system,
  commit: 'abc1234',
  results: [
    rate('eventum-lmdb', 44_000),
    rate('nats-jetstream', 22_000),
    rate('lmdb-raw', 1_000_000),
    record({
      scenario: 'register-batch',
      target: 'postgres',
      skipped: 'postgres not reachable: <refused> & gone',
    }),
    latency('eventum-lmdb', 0.2),
    latency('postgres', 0.5),
    disk('eventum-lmdb', 600),
    disk('postgres', 1500),
    record({
      scenario: 'codec/encode-event',
      target: 'eventum',
      unit: 'ops/s',
      opsPerSec: 1_300_000,
    }),
  ],
};

/** The markdown row of `target` in the table under the heading containing `heading`. */
function row(markdown: string, heading: string, target: string): string[] {
  // Only the detail sections' headings: the summary table above them names scenarios too.
  const section = markdown.split('\n## ').find((s) => s.split('\n')[0]?.includes(heading)) ?? '';
  const line = section.split('\n').find((l) => l.startsWith(`| ${target} |`));
  assert.ok(line, `no row for ${target} under ${heading}`);
  return line.split('|').map((cell) => cell.trim());
}

describe('benchmark report', () => {
  const markdown = renderMarkdown(run, 'run.svg');

  it('puts the ratio to eventum-lmdb in each rate row, >1 where eventum is faster', () => {
    assert.equal(row(markdown, 'batches', 'eventum-lmdb').at(-2), '1×');
    assert.equal(row(markdown, 'batches', 'nats-jetstream').at(-2), '2.00×');
    assert.equal(row(markdown, 'batches', 'lmdb-raw').at(-2), '0.04×');
  });

  it('compares latency scenarios by p50, >1 where eventum answers sooner', () => {
    assert.equal(row(markdown, 'one event', 'postgres').at(-2), '2.50×');
    assert.ok(row(markdown, 'one event', 'eventum-lmdb').includes('0.20 ms'));
  });

  it('shows an unreachable peer as skipped with its reason, never as a figure', () => {
    const cells = row(markdown, 'batches', 'postgres');
    assert.ok(cells[2]?.startsWith('skipped: postgres not reachable'));
    assert.ok(!cells.some((cell) => /^0(\.0+)? /.test(cell)));
  });

  it('lists micro-benchmarks and links the chart', () => {
    assert.match(markdown, /\| codec\/encode-event \| eventum \| {2}\| 1\.30 M ops\/s/);
    assert.match(markdown, /!\[[^\]]*\]\(run\.svg\)/);
    assert.match(markdown, /Test CPU, 2 cores, 8 GiB/);
  });

  it('compares bytes on disk per event, >1 where eventum takes less', () => {
    assert.deepEqual(row(markdown, 'Bytes on disk', 'postgres').slice(2, -1), [
      '1,000',
      '1.4 MiB',
      '1500 B',
      '2.50×',
    ]);
    assert.match(markdown, /\| bytes on disk per stored event \| 600 B \|.*1500 B \(2\.50×\)/);
  });

  it('formats rates and latencies for people', () => {
    assert.equal(humanRate(44_213), '44.2 k');
    assert.equal(humanRate(1_234_567), '1.23 M');
    assert.equal(humanRate(999_950), '1.00 M');
    assert.equal(humanRate(999.6), '1.00 k');
    assert.equal(humanRate(950), '950');
    assert.equal(humanMs(0.042), '42 µs');
    assert.equal(humanMs(2.5), '2.50 ms');
  });

  it('keeps the reason of a skipped target visible on GitHub', () => {
    assert.match(markdown, /skipped: postgres not reachable: &lt;refused&gt; &amp; gone/);
  });

  it('keeps the latency columns aligned when a row has no latency', () => {
    const latencyLess = renderMarkdown({
      ...run,
      results: [record({ scenario: 'latest', target: 'eventum-lmdb', opsPerSec: 100 })],
    });
    const cells = row(latencyLess, 'Latest', 'eventum-lmdb');
    const header = row(latencyLess, 'Latest', 'target');
    assert.equal(cells.length, header.length);
    assert.equal(cells[3], '—');
  });

  it('draws one bar per measured target and escapes text, the same every time', () => {
    const svg = renderChart(run);
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.equal(svg, renderChart(run));
    // Bars: rects with a rounded corner; three measured register-batch targets, two latency.
    assert.equal(svg.match(/<rect [^>]*rx="2"/g)?.length, 5);
    assert.match(svg, />skipped</);
    assert.ok(!svg.includes('<refused>'));
    assert.equal(svg.match(/<text /g)?.length, svg.match(/<\/text>/g)?.length);
  });
});
