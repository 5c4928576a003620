/**
 * Runs the benchmark scenarios: `node bench/dist/run.js [--quick] [scenario ...]`.
 * Prints each result as a JSON line while it runs; at the end writes the run to
 * `bench/results/<date>.json`, its table to `<date>.md` and its chart to `<date>.svg`
 * (`<date>-quick.*` for a quick run, `<date>-<scenario>[-<scenario>…].*` for some scenarios, so
 * neither replaces a full run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { currentCommit, systemInfo, toRecord } from './harness.js';
import { renderChart } from './report/chart.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchRecord, BenchRun } from './report/record.js';
import type { Scenario } from './scenario.js';
import { busScenario } from './scenarios/bus.js';
import { codecScenario } from './scenarios/codec.js';
import { compareScenario } from './scenarios/compare.js';
import { contentionScenario } from './scenarios/contention.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { lmdbBackendScenario } from './scenarios/lmdb-backend.js';
import { lmdbRawScenario } from './scenarios/lmdb-raw.js';
import { matchScenario } from './scenarios/match.js';
import { memoryScenario } from './scenarios/memory.js';
import { notifyScenario } from './scenarios/notify.js';
import { scaleOutScenario } from './scenarios/scale-out.js';
import { sourcingScenario } from './scenarios/sourcing.js';
import { systemScenario } from './scenarios/system.js';

const scenarios: readonly Scenario[] = [
  matchScenario,
  codecScenario,
  lmdbRawScenario,
  lmdbBackendScenario,
  compareScenario,
  contentionScenario,
  scaleOutScenario,
  fanoutScenario,
  busScenario,
  notifyScenario,
  memoryScenario,
  sourcingScenario,
  systemScenario,
];

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

const { values, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const unknown = positionals.filter((name) => !scenarios.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const system = systemInfo();
const commit = currentCommit();
const startedAt = new Date();
const results: BenchRecord[] = [];
for (const scenario of scenarios) {
  if (positionals.length > 0 && !positionals.includes(scenario.name)) continue;
  process.stderr.write(`bench: ${scenario.name}${values.quick ? ' (quick)' : ''}\n`);
  await scenario.run({
    quick: values.quick,
    report(result) {
      const record = toRecord(result, system, commit);
      results.push(record);
      process.stdout.write(`${JSON.stringify(record)}\n`);
    },
  });
}

const run: BenchRun = {
  startedAt: startedAt.toISOString(),
  durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  quick: values.quick,
  system,
  commit,
  results,
};
const suffix = [...(values.quick ? ['quick'] : []), ...positionals].map((s) => `-${s}`).join('');
const base = `${startedAt.toISOString().slice(0, 10)}${suffix}`;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${base}.json`), `${JSON.stringify(run, null, 2)}\n`);
writeFileSync(join(resultsDir, `${base}.svg`), renderChart(run));
writeFileSync(join(resultsDir, `${base}.md`), renderMarkdown(run, `${base}.svg`));
process.stderr.write(
  `bench: ${results.length} results in ${run.durationSeconds} s; wrote ${join(resultsDir, base)}.{json,md,svg}\n`,
);
