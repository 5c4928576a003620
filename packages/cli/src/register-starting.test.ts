import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { tempDir } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';

// A module whose creation takes a while: the server listens, but its engine is still starting.
const slowModule = `
export const info = {
  async create() {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { subscription: { matches: () => false }, process: () => [] };
  },
};
`;

describe('eventum register against a server still starting', () => {
  it('waits for the engine to be operational instead of being refused', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    await writeFile(join(dir.path, 'slow.js'), slowModule);
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      'eventer_server: {port: 0}\nbackend: {type: memory}\nmodules: [{module: ./slow.js}]\n',
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));

    const outcome = await runCli(['register', '--port', String(server.port), 'a/b', '1']);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual((JSON.parse(outcome.stdout) as { type: string[] }).type, ['a', 'b']);
  });
});
