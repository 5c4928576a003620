/**
 * `npm run fuzz`: the long fuzzing run. The decoder fuzzer checks `--inputs` mutated frames
 * (default 1,000,000), then the network fuzzer opens `--connections` connections to a live
 * server (default 20,000). Prints one JSON line per fuzzer (with inputs/s) and every failure with
 * the command that replays it; exits 1 on any failure.
 *
 *   npm run fuzz -- [--seed N] [--inputs N] [--connections N] [--decode-only | --network-only]
 *                   [--backend memory|lmdb]   # the network fuzzer's server storage
 *   npm run fuzz -- --seed N --index I [--network-only]   # replay one input or connection
 */
import { parseArgs } from 'node:util';

import { DEFAULT_MAX_FRAME_SIZE } from '@eventum/core';

import { buildCorpus } from './corpus.js';
import { formatFailure, runDecodeFuzz } from './decode-fuzz.js';
import { makeInput, toHex } from './mutate.js';
import { formatNetworkFailure, runNetworkFuzz } from './network-fuzz.js';
import { planConnection } from './network-plan.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    inputs: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '20000' },
    index: { type: 'string' },
    'decode-only': { type: 'boolean', default: false },
    'network-only': { type: 'boolean', default: false },
    backend: { type: 'string', default: 'memory' },
  },
});

function count(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} must be a non-negative integer, not ${text}`);
    process.exit(2);
  }
  return n;
}

const seed =
  values.seed === undefined ? (Math.random() * 2 ** 32) >>> 0 : count('seed', values.seed);
const index = values.index === undefined ? undefined : count('index', values.index);
const replay = index !== undefined;
let failed = false;

if (!values['network-only']) {
  const inputs = replay ? 1 : count('inputs', values.inputs);
  const report = await runDecodeFuzz({ seed, inputs, start: index ?? 0 });
  const inputsPerSec = Math.round(report.checked / (report.elapsedMs / 1000));
  const { failure, ...figures } = report;
  console.log(
    JSON.stringify({ fuzzer: 'decode', ...figures, inputsPerSec, failed: failure !== null }),
  );
  if (failure !== null) console.error(formatFailure(failure));
  else if (replay) describeInput(seed, index);
  failed ||= failure !== null;
}

if (!values['decode-only']) {
  const connections = replay ? 1 : count('connections', values.connections);
  const backend = values.backend === 'lmdb' ? 'lmdb' : 'memory';
  const report = await runNetworkFuzz({ seed, connections, start: index ?? 0, backend });
  const connectionsPerSec = Math.round(report.connections / (report.elapsedMs / 1000));
  const { failures, ...figures } = report;
  console.log(
    JSON.stringify({ fuzzer: 'network', ...figures, connectionsPerSec, failures: failures.length }),
  );
  for (const failure of failures) console.error(formatNetworkFailure(failure));
  if (replay && failures.length === 0) {
    const plan = planConnection(seed, index, DEFAULT_MAX_FRAME_SIZE);
    console.error(`connection ${index}: ${plan.kind}: ${plan.description}: passes`);
  }
  failed ||= failures.length > 0;
}

process.exit(failed ? 1 : 0);

function describeInput(seed: number, index: number): void {
  const input = makeInput(buildCorpus(), seed, index);
  console.error(`input ${index}: ${input.base.name} + [${input.mutations.join(', ')}]: passes`);
  console.error(`  bytes: ${toHex(input.bytes)}`);
}
