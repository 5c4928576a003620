/**
 * Runs the benchmark scenarios: `node bench/dist/run.js [--quick] [scenario ...]`.
 * Every result is one JSON line on stdout, also appended to `bench/results/<date>.jsonl`.
 */
import { parseArgs } from 'node:util';

import { report, systemInfo } from './harness.js';
import type { Scenario } from './scenario.js';
import { codecScenario } from './scenarios/codec.js';
import { lmdbBackendScenario } from './scenarios/lmdb-backend.js';
import { lmdbRawScenario } from './scenarios/lmdb-raw.js';
import { matchScenario } from './scenarios/match.js';
import { serverScenario } from './scenarios/server.js';

const scenarios: readonly Scenario[] = [
  matchScenario,
  codecScenario,
  lmdbRawScenario,
  lmdbBackendScenario,
  serverScenario,
];

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
for (const scenario of scenarios) {
  if (positionals.length > 0 && !positionals.includes(scenario.name)) continue;
  process.stderr.write(`bench: ${scenario.name}${values.quick ? ' (quick)' : ''}\n`);
  await scenario.run({ quick: values.quick, report: (result) => report(result, system) });
}
