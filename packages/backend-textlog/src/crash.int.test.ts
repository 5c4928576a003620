import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { textlogHarness } from './testing/harness.js';

const writer = fileURLToPath(new URL('./testing/crash-writer.js', import.meta.url));

/** Runs the crash writer on `dir` until it reported `flushes` flushed batches, then SIGKILLs it. */
async function runAndKill(dir: string, flushes: number): Promise<string[]> {
  const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
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

describe('textlog backend: crash', () => {
  it('holds every event reported flushed before a SIGKILL, and goes on after it', async (t) => {
    const h = await textlogHarness(t);
    const first = await runAndKill(h.dir, 15);
    const second = await runAndKill(h.dir, 5);
    const { backend } = await h.open();
    const stored = new Set<string>();
    let lastEventId = null;
    for (;;) {
      const page = await backend.query({
        type: 'server',
        serverId: 1,
        persisted: true,
        lastEventId,
      });
      for (const e of page.events) stored.add(`${e.id.server}/${e.id.session}/${e.id.instance}`);
      lastEventId = page.events[page.events.length - 1]?.id ?? null;
      if (!page.moreFollows) break;
    }
    const missing = [...first, ...second].filter((id) => !stored.has(id));
    assert.deepEqual(missing, []);
    const last = await backend.getLastEventId(1);
    const reportedLast = second[second.length - 1]?.split('/').map(Number) ?? [];
    assert.ok(last.session >= (reportedLast[1] ?? Infinity));
    // Temp files a kill left behind are removed at start-up.
    assert.deepEqual(
      (await readdir(h.dir)).filter((n) => n.startsWith('.')),
      [],
    );
  });
});
