/**
 * The network fuzzer: a real eventum server (in process, memory or LMDB backend) on a free
 * loopback port, `connections` raw TCP connections sending what `network-plan.ts` draws (mutated
 * frames, frames cut short, oversized length prefixes, random bytes, answers never read),
 * `concurrency` at a time, while a well-behaved client registers and queries. It checks that the
 * server never crashes, keeps serving that client during and after, closes every connection
 * (once the client left, or on its own) orderly or with `ERR_PROTOCOL`, as docs/errors.md says
 * ("malformed frames … close only the offending connection"), and keeps its buffers bounded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLmdbBackend } from '@eventum/backend-lmdb';
import { DEFAULT_MAX_FRAME_SIZE, createMemoryBackend, isEventumError } from '@eventum/core';
import { createServer } from '@eventum/server';
import type { Server } from '@eventum/server';

import { CloseRecorder } from './close-recorder.js';
import { MemoryWatch } from './memory-watch.js';
import type { CloseReason } from './close-recorder.js';
import { describeError } from './decode-oracle.js';
import { concat } from './corpus.js';
import { toHex } from './mutate.js';
import { planConnection } from './network-plan.js';
import type { ConnectionPlan } from './network-plan.js';
import { Probe } from './network-probe.js';
import { RecordingLogger } from './recording-logger.js';

export interface NetworkFuzzOptions {
  readonly seed: number;
  readonly connections: number;
  /** First connection index (default 0): `connections = 1, start = I` replays connection I. */
  readonly start?: number;
  /** Connections open at once (default 16). */
  readonly concurrency?: number;
  /** How long a client waits for the server to react before it leaves (default 20 ms). */
  readonly lingerMs?: number;
  /** The server's storage (default `memory`); `lmdb` is a file in a temporary directory. */
  readonly backend?: 'memory' | 'lmdb';
  /** Growth of ArrayBuffer memory (bytes read or waiting to be sent) above which the server is
   * said to buffer without bound (default 512 MiB). */
  readonly maxBufferGrowthMb?: number;
}

export interface NetworkFailure {
  readonly seed: number;
  readonly index: number;
  readonly kind: string;
  readonly description: string;
  readonly problem: string;
  /** What the connection sent (its first 512 bytes). */
  readonly hex: string;
}

export interface NetworkFuzzReport {
  readonly seed: number;
  readonly connections: number;
  readonly elapsedMs: number;
  /** How the server closed the connections: by error code, `orderly`, or `missing`. */
  readonly closes: Readonly<Record<string, number>>;
  /** Register + query rounds the well-behaved client completed. */
  readonly probeRounds: number;
  /** Server log lines by level. */
  readonly log: Readonly<Record<string, number>>;
  /** Highest growth of ArrayBuffer memory during the run, in MiB. */
  readonly peakBufferGrowthMb: number;
  readonly failures: readonly NetworkFailure[];
}

/** Connection failures reported in full; further ones are dropped (`closes` counts them all). */
const MAX_FAILURES = 20;

export async function runNetworkFuzz(options: NetworkFuzzOptions): Promise<NetworkFuzzReport> {
  const logger = new RecordingLogger();
  const { server, cleanup } = await startServer(logger, options.backend ?? 'memory');
  const recorder = new CloseRecorder(server.address.port);
  const failures: NetworkFailure[] = [];
  const closes: Record<string, number> = {};
  const began = performance.now();
  let probe: Probe | null = null;
  let peakBufferGrowthMb: number;
  const memory = new MemoryWatch();
  try {
    probe = await Probe.start(server.address.port);
    await runConnections(options, server, recorder, tally(options.seed, closes, failures));
    failures.push(...(await checkServer(server, probe, options)));
  } finally {
    peakBufferGrowthMb = memory.stop();
    recorder.stop();
    await probe?.stop();
    await server.close();
    await cleanup();
  }
  failures.push(...checkMemory(peakBufferGrowthMb, options));
  const elapsedMs = performance.now() - began;
  const { seed, connections } = options;
  const figures = { probeRounds: probe?.rounds ?? 0, log: logger.counts(), peakBufferGrowthMb };
  return { seed, connections, elapsedMs, closes, ...figures, failures };
}

/** Counts each close by its reason and keeps the first MAX_FAILURES problems. */
function tally(seed: number, closes: Record<string, number>, failures: NetworkFailure[]): Verdict {
  return (plan, reason, problem) => {
    const key = reason === undefined ? 'missing' : reason === null ? 'orderly' : codeOf(reason);
    closes[key] = (closes[key] ?? 0) + 1;
    if (problem !== null && failures.length < MAX_FAILURES) {
      failures.push(failureOf(seed, plan, problem));
    }
  };
}

async function startServer(
  logger: RecordingLogger,
  backend: 'memory' | 'lmdb',
): Promise<{ server: Server; cleanup: () => Promise<void> }> {
  const dir = backend === 'lmdb' ? await mkdtemp(join(tmpdir(), 'eventum-fuzz-')) : null;
  const cleanup = async () => {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  };
  const server = await createServer({
    serverId: 1,
    serverToken: null,
    host: '127.0.0.1',
    port: 0,
    createBackend: (context) =>
      dir === null
        ? createMemoryBackend({}, context)
        : createLmdbBackend({ db_path: join(dir, 'fuzz.db') }, context),
    logger,
  }).catch(async (error: unknown) => {
    await cleanup();
    throw error;
  });
  for (let i = 0; i < 1000 && server.status !== 'operational'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { server, cleanup };
}

type Verdict = (
  plan: ConnectionPlan,
  reason: CloseReason | undefined,
  problem: string | null,
) => void;

/** Runs the connections, `concurrency` at a time, and judges each. */
async function runConnections(
  options: NetworkFuzzOptions,
  server: Server,
  recorder: CloseRecorder,
  verdict: Verdict,
): Promise<void> {
  const start = options.start ?? 0;
  let next = start;
  const end = start + options.connections;
  const lane = async (): Promise<void> => {
    while (next < end && !server.isClosed) {
      const plan = planConnection(options.seed, next++, DEFAULT_MAX_FRAME_SIZE);
      const { clientPort, serverClosedFirst } = await sendPlan(server.address.port, plan, options);
      const reason = await recorder.take(clientPort);
      verdict(plan, reason, judge(plan, reason, serverClosedFirst));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, lane));
}

/** What is wrong with how the server closed a connection, or null. */
export function judge(
  plan: ConnectionPlan,
  reason: CloseReason | undefined,
  serverClosedFirst: boolean,
): string | null {
  if (reason === undefined) return 'the server never closed the connection';
  if (reason !== null && !isEventumError(reason, 'ERR_PROTOCOL')) {
    // A reset the client caused is reported as ERR_CLOSED (the socket's error as cause).
    const reset = plan.ending === 'destroy' && !serverClosedFirst;
    if (!(reset && isEventumError(reason, 'ERR_CLOSED'))) {
      return `closed with ${describeError(reason)}, not ERR_PROTOCOL`;
    }
  }
  if (plan.expectProtocolError && !isEventumError(reason, 'ERR_PROTOCOL')) {
    return `malformed bytes closed with ${reason === null ? 'an orderly close' : describeError(reason)}, not ERR_PROTOCOL`;
  }
  return null;
}

/** Connects, sends the plan, waits `lingerMs` for the server, leaves, and waits for the close. */
async function sendPlan(
  port: number,
  plan: ConnectionPlan,
  options: NetworkFuzzOptions,
): Promise<{ clientPort: number; serverClosedFirst: boolean }> {
  const socket = await open(port);
  if (!plan.reads) socket.pause();
  const clientPort = socket.localPort ?? 0;
  let serverClosedFirst = false;
  socket.on('end', () => (serverClosedFirst = true));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  for (const [i, chunk] of plan.chunks.entries()) {
    if (socket.destroyed || serverClosedFirst) break;
    socket.write(chunk);
    await pause(plan.delaysMs[i] ?? 0);
  }
  await Promise.race([closed, pause(options.lingerMs ?? 20)]);
  if (plan.ending === 'destroy') socket.destroy();
  else socket.end();
  await closed;
  return { clientPort, serverClosedFirst };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    socket.on('error', () => undefined); // resets by the server are expected
    socket.on('data', () => undefined);
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));
}

/** After the run: the server is still up and operational, and still serves the probe. */
async function checkServer(
  server: Server,
  probe: Probe,
  options: NetworkFuzzOptions,
): Promise<NetworkFailure[]> {
  const problems: string[] = [];
  if (server.isClosed) problems.push('the server closed');
  if (server.status !== 'operational') problems.push(`the server is ${server.status}`);
  problems.push(...(await probe.finish()));
  return problems.map((problem) => serverFailure(options.seed, problem));
}

function checkMemory(peakMb: number, options: NetworkFuzzOptions): NetworkFailure[] {
  const limit = options.maxBufferGrowthMb ?? 512;
  if (peakMb <= limit) return [];
  return [serverFailure(options.seed, `buffers grew by ${peakMb} MiB (limit ${limit} MiB)`)];
}

function serverFailure(seed: number, problem: string): NetworkFailure {
  return {
    seed,
    index: -1,
    kind: 'server',
    description: 'the server over the run',
    problem,
    hex: '',
  };
}

function failureOf(seed: number, plan: ConnectionPlan, problem: string): NetworkFailure {
  const sent = concat(plan.chunks);
  const { index, kind, description } = plan;
  return { seed, index, kind, description, problem, hex: toHex(sent.subarray(0, 512)) };
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

/** A failure as lines for a person, with the command that replays it. */
export function formatNetworkFailure(f: NetworkFailure): string {
  if (f.index < 0) return `network fuzzer (seed ${f.seed}): ${f.problem}`;
  return [
    `network fuzzer: connection ${f.index} (${f.kind}: ${f.description}): ${f.problem}`,
    `  sent: ${f.hex}`,
    `  replay: npm run fuzz -- --network-only --seed ${f.seed} --index ${f.index}`,
  ].join('\n');
}
