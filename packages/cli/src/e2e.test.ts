import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

import { connect } from '@eventum/client';
import type { Event } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import { mainPath, runCli, startServerProcess } from './testing.js';

// A module loaded from the configuration: copies every `plant/*` event to `<type>/copy`.
const copierModule = `
export const info = {
  configSchema: {
    type: 'object',
    properties: { module: { type: 'string' }, suffix: { type: 'string' } },
    required: ['suffix'],
  },
  create(config) {
    return {
      subscription: { matches: (type) => type[0] === 'plant' && type.at(-1) !== config.suffix },
      process: (_source, event) => [{ type: [...event.type, config.suffix], payload: event.payload }],
    };
  },
};
`;

describe('eventum end to end', () => {
  it('serves the CLI and the client from a configured server process', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    await writeFile(join(dir.path, 'copier.js'), copierModule);
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      [
        'server_id: 5',
        'eventer_server: {host: 127.0.0.1, port: 0}',
        'backend: {type: memory}',
        'modules: [{module: ./copier.js, suffix: copy}]',
      ].join('\n'),
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const port = String(server.port);

    const seen: Event[] = [];
    const client = await connect({
      port: server.port,
      clientName: 'e2e',
      subscriptions: [['plant', '*']],
      onEvents: (events) => void seen.push(...events),
    });
    t.after(() => client.close());

    const registered = await runCli([
      'register',
      '--port',
      port,
      'plant/line1/temp',
      '{"v": 21.5}',
    ]);
    assert.equal(registered.code, 0, registered.stderr);
    const event = JSON.parse(registered.stdout) as { id: { server: number }; payload: unknown };
    assert.equal(event.id.server, 5);
    assert.deepEqual(event.payload, { data_type: 'json', data: { v: 21.5 } });

    const latest = await runCli(['query', 'latest', '--port', port, 'plant/line1/?/?']);
    const types = (JSON.parse(latest.stdout) as { events: { type: string[] }[] }).events.map((e) =>
      e.type.join('/'),
    );
    assert.deepEqual(types, ['plant/line1/temp/copy']);

    const subscriber = spawn(process.execPath, [mainPath, 'subscribe', '--port', port, 'plant/?'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => subscriber.kill('SIGKILL'));
    const lines = createInterface({ input: subscriber.stdout });
    const firstLine = new Promise<string>((resolve) => lines.once('line', resolve));
    // The subscriber is connected once the server has told it of its own CONNECTED event
    // (not subscribed here), so poll by registering until a line arrives.
    let line: string | undefined;
    for (let i = 0; line === undefined && i < 100; i++) {
      await client.register([{ type: ['plant', 'x'], payload: { type: 'json', data: i } }]);
      line = await Promise.race([firstLine, sleep(50).then(() => undefined)]);
    }
    assert.ok(line !== undefined, 'subscriber printed nothing');
    assert.deepEqual((JSON.parse(line) as { type: string[] }[])[0]?.type, ['plant', 'x']);

    assert.ok(seen.some((e) => e.type.join('/') === 'plant/line1/temp/copy'));
    assert.equal(await server.stop('SIGTERM'), 0);
    assert.ok(server.log.some((l) => l.includes('eventum server stopped')));
    // Log shippers parse every line: nothing else (a library's warning) may reach the stream.
    for (const line of server.log) assert.doesNotThrow(() => JSON.parse(line), line);
  });

  it('reports every configuration problem with its path and exits 1', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'bad.yaml');
    await writeFile(conf, 'server_id: -1\neventer_server: {port: "x", colour: red}\n');
    const outcome = await runCli(['server', '--conf', conf]);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /\/server_id: must be >= 0/);
    assert.match(outcome.stderr, /\/eventer_server\/port: must be integer/);
    assert.match(outcome.stderr, /\/eventer_server\/colour: unknown property/);
  });

  it('explains a bad command line and exits 2', async () => {
    const outcome = await runCli(['query', 'sideways']);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /expected latest, timeseries or server/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Commands:/);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
