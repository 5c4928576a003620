import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';

import { measureServer, rssMiB } from './proc-stats.js';

describe('server usage from /proc', () => {
  it('reports the CPU time and peak memory a process spent during the work', async () => {
    // A child that spins for 300 ms of CPU and allocates ~64 MiB when told to.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `process.stdin.once('data', () => {
           const end = Date.now() + 300; while (Date.now() < end);
           globalThis.keep = Buffer.alloc(64 * 2 ** 20, 1);
           process.stdout.write('done');
         });`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const pid = child.pid as number;
      const { usage } = await measureServer([pid], async () => {
        child.stdin.write('go');
        await once(child.stdout, 'data');
      });
      assert.ok(usage !== undefined);
      assert.ok(usage.cpuSeconds >= 0.2, `cpu ${usage.cpuSeconds} s`);
      assert.ok(usage.peakRssMiB >= 64, `peak ${usage.peakRssMiB} MiB`);
      assert.ok((await rssMiB(pid)) >= 64);
    } finally {
      child.kill();
    }
  });

  it('reports no usage for an in-process target', async () => {
    const { result, usage } = await measureServer([], () => Promise.resolve(7));
    assert.equal(result, 7);
    assert.equal(usage, undefined);
  });
});
