/**
 * Renders a saved run again: `node bench/dist/render.js bench/results/<date>.json` writes
 * `<date>.md` and `<date>.svg` next to it (after a change to the report's layout, say). With
 * `--readme README.md` it also puts the run's summary between the README's bench markers, so
 * the figures people read first always come from one recorded run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchRun } from './report/record.js';
import { renderSummary } from './report/summary.js';

const START = '<!-- bench-summary:start -->';
const END = '<!-- bench-summary:end -->';

const { values, positionals } = parseArgs({
  options: { readme: { type: 'string' } },
  allowPositionals: true,
});
const file = positionals[0];
if (file === undefined || !file.endsWith('.json')) {
  console.error('usage: node bench/dist/render.js bench/results/<date>.json [--readme README.md]');
  process.exit(2);
}
let run: BenchRun;
let chart: string;
let markdown: string;
const base = file.slice(0, -'.json'.length);
try {
  run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
  checkRun(run);
  chart = renderChart(run);
  markdown = renderMarkdown(run, `${basename(base)}.svg`);
} catch (error) {
  console.error(`cannot read benchmark run ${file}: ${(error as Error).message}`);
  process.exit(2);
}
writeFileSync(`${base}.svg`, chart);
writeFileSync(`${base}.md`, markdown);
console.error(`wrote ${base}.md and ${base}.svg`);

if (values.readme !== undefined) {
  const readme = readFileSync(values.readme, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${values.readme} has no ${START} … ${END} section`);
    process.exit(2);
  }
  const link = (path: string) => relative(dirname(values.readme as string), path);
  const { cpu, cores, memGiB, node } = run.system;
  const section = [
    START,
    '',
    `From \`npm run bench\` on ${run.startedAt.slice(0, 10)} at commit ${run.commit}, on ${String(cpu)} ` +
      `(${String(cores)} cores, ${String(memGiB)} GiB), Node ${String(node)}, in ${run.durationSeconds} s. ` +
      `Full report: [${link(`${base}.md`)}](${link(`${base}.md`)}).`,
    '',
    renderSummary(run),
    '',
    `![eventum next to its peers](${link(`${base}.svg`)})`,
    '',
    END,
  ].join('\n');
  writeFileSync(values.readme, readme.slice(0, start) + section + readme.slice(end + END.length));
  console.error(`updated the summary in ${values.readme}`);
}

/** Throws, naming the first missing field, unless `run` has the shape the renderers read. */
function checkRun(run: unknown): asserts run is BenchRun {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null;
  if (!isObject(run)) throw new Error('not a JSON object');
  if (typeof run['startedAt'] !== 'string') throw new Error('no "startedAt" string');
  if (!isObject(run['system'])) throw new Error('no "system" object');
  const results = run['results'];
  if (!Array.isArray(results)) throw new Error('no "results" array');
  results.forEach((r: unknown, i) => {
    const ok =
      isObject(r) &&
      typeof r['scenario'] === 'string' &&
      typeof r['target'] === 'string' &&
      typeof r['opsPerSec'] === 'number' &&
      isObject(r['spread']) &&
      isObject(r['params']);
    if (!ok) throw new Error(`results[${i}] lacks scenario, target, opsPerSec, spread or params`);
  });
}
