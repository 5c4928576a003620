/**
 * The crash check every persistent backend runs: a child process registers sessions in a loop
 * and reports what `onFlushed` confirmed; it is killed with SIGKILL (twice); the reopened
 * storage must hold every event reported flushed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import type { Backend, BackendContext, EventId } from '@eventum/core';

/**
 * The child's side: opens the backend with `open`, registers sessions of ten events of server 1
 * forever, and prints `flushed <server>/<session>/<instance>` for the last event of every batch
 * `onFlushed` reports. Call it from a small script; the test kills the process.
 */
export async function runCrashWriter(
  open: (context: Partial<BackendContext>) => Promise<Backend>,
): Promise<never> {
  const backend = await open({
    onFlushed: (events) => {
      const last = events[events.length - 1];
      if (last !== undefined) process.stdout.write(`flushed ${idText(last.id)}\n`);
    },
  });
  for (let session = (await backend.getLastEventId(1)).session + 1; ; session++) {
    const timestamp = { s: 1_700_000_000 + session, us: 0 };
    const events = Array.from({ length: 10 }, (_, i) => ({
      id: { server: 1, session, instance: i + 1 },
      type: ['crash', String(i)],
      timestamp,
      sourceTimestamp: null,
      payload: { type: 'json' as const, data: { session, i } },
    }));
    await backend.register(events);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Runs `node writer ...args` until it reported `flushes` batches, then SIGKILLs it. */
export async function runAndKill(
  writer: string,
  args: readonly string[],
  flushes: number,
): Promise<string[]> {
  const child = spawn(process.execPath, [writer, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const reported: string[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^flushed (\d+\/\d+\/\d+)$/.exec(line);
    if (match?.[1] !== undefined) reported.push(match[1]);
    if (reported.length >= flushes) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  return reported;
}

/**
 * Kills the writer twice (15 then 5 flushed batches), reopens with `reopen` and asserts that
 * every reported event is stored (persisted server query) and the last id did not go back.
 * Returns the reopened backend, which the caller closes.
 */
export async function assertSurvivesKills(
  writer: string,
  args: readonly string[],
  reopen: () => Promise<Backend>,
): Promise<Backend> {
  const reported = [
    ...(await runAndKill(writer, args, 15)),
    ...(await runAndKill(writer, args, 5)),
  ];
  const backend = await reopen();
  const stored = new Set<string>();
  let lastEventId: EventId | null = null;
  for (;;) {
    const page = await backend.query({ type: 'server', serverId: 1, persisted: true, lastEventId });
    for (const e of page.events) stored.add(idText(e.id));
    lastEventId = page.events[page.events.length - 1]?.id ?? null;
    if (!page.moreFollows) break;
  }
  assert.deepEqual(
    reported.filter((id) => !stored.has(id)),
    [],
  );
  const reportedLast = reported[reported.length - 1]?.split('/').map(Number) ?? [];
  assert.ok((await backend.getLastEventId(1)).session >= (reportedLast[1] ?? Infinity));
  return backend;
}

function idText(id: EventId): string {
  return `${id.server}/${id.session}/${id.instance}`;
}
