/**
 * Renders a saved run again: `node bench/dist/render.js bench/results/<date>.json` writes
 * `<date>.md` and `<date>.svg` next to it (after a change to the report's layout, say).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchRun } from './report/record.js';

const file = process.argv[2];
if (file === undefined || !file.endsWith('.json')) {
  console.error('usage: node bench/dist/render.js bench/results/<date>.json');
  process.exit(2);
}
let run: BenchRun;
try {
  run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
  if (!Array.isArray(run.results)) throw new Error('no "results" array');
} catch (error) {
  console.error(`cannot read benchmark run ${file}: ${(error as Error).message}`);
  process.exit(2);
}
const base = file.slice(0, -'.json'.length);
writeFileSync(`${base}.svg`, renderChart(run));
writeFileSync(`${base}.md`, renderMarkdown(run, `${basename(base)}.svg`));
console.error(`wrote ${base}.md and ${base}.svg`);
