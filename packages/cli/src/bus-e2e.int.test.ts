import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

import { requireService, tempDir, testNatsUrl, uniqueRoot } from '@eventum/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import { mainPath, runCli, startServerProcess } from './testing.js';

let skip: string | false = false;
await requireService('NATS', testNatsUrl, (reason) => (skip = reason));

describe('eventum server with the NATS bus bridge', { skip }, () => {
  it('a plain nats.js subscriber receives an event registered with the CLI', async (t) => {
    const prefix = `${uniqueRoot()}.eventum`;
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    const config = [
      'server_id: 7',
      'eventer_server: {host: 127.0.0.1, port: 0}',
      'backend: {type: memory}',
      `bus: {type: nats, servers: "${testNatsUrl}", publish: {prefix: "${prefix}"}, subscribe: [{subjects: "${prefix}.in.>", prefix: "${prefix}.in"}]}`,
    ];
    await writeFile(conf, config.join('\n'));
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));

    const nc = await connect({ servers: testNatsUrl });
    t.after(() => nc.close());
    const sub = nc.subscribe(`${prefix}.plant.>`, { max: 1 });
    await nc.flush();
    const registered = await runCli([
      'register',
      '--port',
      String(server.port),
      'plant/line.1/temp',
      '{"v": 21.5}',
    ]);
    assert.equal(registered.code, 0, registered.stderr);
    const event = JSON.parse(registered.stdout) as Record<string, unknown>;
    for await (const msg of sub) {
      assert.equal(msg.subject, `${prefix}.plant.line~2E1.temp`);
      const envelope = msg.json<Record<string, unknown>>();
      // Wire version 2 (docs/bus.md): the subject is the topic, and no headers.
      assert.deepEqual(Object.keys(envelope), ['v', 'id', 'type', 'ms', 'payload']);
      assert.equal(envelope['v'], 2);
      assert.match(envelope['id'] as string, /^7-/);
      assert.equal(envelope['type'], 'eventum.event');
      assert.equal(typeof envelope['ms'], 'number');
      assert.deepEqual(envelope['payload'], event);
      assert.equal(msg.headers, undefined);
    }

    // The reverse: a message published with the CLI's bus command is registered as an event.
    const published = await runCli([
      'bus',
      'publish',
      '--servers',
      testNatsUrl,
      `${prefix}.in.door.open`,
      '{"payload": {"by": "cli"}}',
    ]);
    assert.equal(published.code, 0, published.stderr);
    let found: { payload: unknown }[] = [];
    for (let i = 0; i < 100 && found.length === 0; i++) {
      const latest = await runCli(['query', 'latest', '--port', String(server.port), 'door/open']);
      found = (JSON.parse(latest.stdout) as { events: { payload: unknown }[] }).events;
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(found[0]?.payload, { data_type: 'json', data: { by: 'cli' } });
  });

  it('eventum bus subscribe prints what eventum bus publish sends', async (t) => {
    const topic = `${uniqueRoot()}.greeting`;
    const subscriber = spawn(
      process.execPath,
      [mainPath, 'bus', 'subscribe', '--servers', testNatsUrl, '--count', '1', topic],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    t.after(() => subscriber.kill('SIGKILL'));
    // Both readers start before anything is published: the child exits after its one event.
    const ready = createInterface({ input: subscriber.stderr })[Symbol.asyncIterator]();
    const output = createInterface({ input: subscriber.stdout })[Symbol.asyncIterator]().next();
    assert.equal((await ready.next()).value, `subscribed to ${topic}`);
    const published = await runCli([
      'bus',
      'publish',
      '--servers',
      testNatsUrl,
      '--type',
      'hello',
      topic,
      '{"to": "world"}',
    ]);
    assert.equal(published.code, 0, published.stderr);
    const envelope = JSON.parse(String((await output).value)) as Record<string, unknown>;
    assert.deepEqual(
      [envelope['id'], envelope['topic'], envelope['type'], envelope['payload']],
      [published.stdout.trim(), topic, 'hello', { to: 'world' }],
    );
  });

  it('on JetStream, bridged events are stored and replayed to a later eventum bus subscribe', async (t) => {
    const root = uniqueRoot();
    const stream = `EVENTUM_TEST_${root.replaceAll('.', '_')}`;
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    const bus = `{type: jetstream, servers: "${testNatsUrl}", stream: {name: ${stream}, subjects: ["${root}.>"], storage: memory}, publish: {prefix: "${root}.ev"}}`;
    await writeFile(
      conf,
      [
        'server_id: 3',
        'eventer_server: {host: 127.0.0.1, port: 0}',
        'backend: {type: memory}',
        `bus: ${bus}`,
      ].join('\n'),
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    t.after(async () => {
      const nc = await connect({ servers: testNatsUrl });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
      await nc.close();
    });
    const registered = await runCli(['register', '--port', String(server.port), 'a/b', '{"n": 1}']);
    assert.equal(registered.code, 0, registered.stderr);
    const replay = [
      'bus',
      'subscribe',
      '--conf',
      conf,
      '--from',
      'all',
      '--count',
      '1',
      `${root}.ev.a.>`,
    ];
    const replayed = await runCli(replay);
    assert.equal(replayed.code, 0, replayed.stderr);
    const envelope = JSON.parse(replayed.stdout) as {
      topic: string;
      payload: unknown;
      delivery: { count: number };
    };
    assert.equal(envelope.topic, `${root}.ev.a.b`);
    assert.deepEqual(envelope.payload, JSON.parse(registered.stdout));
    assert.equal(envelope.delivery.count, 1);
  });

  it('rejects an unknown bus type and bad transport fields, naming the paths', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(conf, 'bus: {type: kafka}\n');
    const unknown = await runCli(['server', '--conf', conf]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /\/bus\/type: unknown bus type "kafka" \(known: in-process, null, nats, jetstream\)/,
    );
    await writeFile(conf, 'bus: {type: jetstream, servers: 3, publish: {prefix: "a..b"}}\n');
    const bad = await runCli(['server', '--conf', conf]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\/bus\/publish\/prefix/);
  });
});
