import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createNatsBus } from '@eventum/bus-nats';
import type { BusEvent } from '@eventum/core';
import { createNotifier } from '@eventum/notify';
import type { Notification } from '@eventum/notify';
import { requireService, takeEvents, tempDir, testNatsUrl, uniqueRoot } from '@eventum/testing';

import { mainPath, runCli, startServerProcess } from './testing.js';

let skip: string | false = false;
await requireService('NATS', testNatsUrl, (reason) => (skip = reason));

function notifyArgs(prefix: string, ...args: string[]): string[] {
  return ['notify', ...args, '--servers', testNatsUrl, '--prefix', prefix];
}

describe('eventum notify', { skip }, () => {
  it('subscribe prints typed notifications that publish sends; a refused publish sends nothing', async (t) => {
    const prefix = `${uniqueRoot()}.events`;
    const args = notifyArgs(
      prefix,
      'subscribe',
      '--kind',
      'process-lifecycle',
      '--origin',
      'svc.>',
    );
    const child = spawn(process.execPath, [mainPath, ...args, '--count', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const ready = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await ready.next()).value, `subscribed to ${prefix}.1052.svc.>`);

    const refused = await runCli(
      notifyArgs(
        prefix,
        'publish',
        'process-lifecycle',
        '--origin',
        'svc.a',
        '--field',
        'state=NOPE',
      ),
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /state: unknown member "NOPE"/);
    const noOrigin = await runCli(notifyArgs(prefix, 'publish', '1052', '--field', 'state=READY'));
    assert.match(noOrigin.stderr, /origin: is required/);
    const published = [];
    for (const fields of [
      ['state=ACTIVE', 'status=NO_CACHE'],
      ['state=4', 'description=bye'],
    ]) {
      const out = await runCli(
        notifyArgs(
          prefix,
          'publish',
          'process-lifecycle',
          '--origin',
          'svc.a',
          ...fields.flatMap((f) => ['--field', f]),
        ),
      );
      assert.equal(out.code, 0, out.stderr);
      published.push(out.stdout.trim());
    }
    const received = [];
    for (let i = 0; i < 2; i++) {
      received.push(JSON.parse(String((await lines.next()).value)) as Record<string, unknown>);
    }
    assert.deepEqual(
      received.map((n) => [n['id'], n['kind'], n['origin']]),
      published.map((id) => [id, 'process-lifecycle', 'svc.a']),
    );
    const data = received.map((n) => n['data'] as Record<string, unknown>);
    assert.deepEqual([data[0]?.['state'], data[0]?.['status'], data[1]?.['state']], [3, 4, 4]);
    assert.equal(data[1]?.['description'], 'bye');
  });

  it('monitor answers subscribe, getData and unsubscribe requests line by line', async (t) => {
    const prefix = `${uniqueRoot()}.events`;
    const child = spawn(process.execPath, [mainPath, ...notifyArgs(prefix, 'monitor')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const ready = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
    assert.equal((await ready.next()).value, 'event monitor ready');
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ask = async (request: unknown): Promise<Record<string, unknown>> => {
      child.stdin.write(`${typeof request === 'string' ? request : JSON.stringify(request)}\n`);
      return JSON.parse(String((await answers.next()).value)) as Record<string, unknown>;
    };
    const sub = await ask({ op: 'subscribe', session: 's', kind: 'logging-error' });
    assert.equal(sub['ok'], true);
    const publish = await runCli(
      notifyArgs(
        prefix,
        'publish',
        'logging-error',
        '--origin',
        'p',
        '--field',
        'description=disk',
      ),
    );
    assert.equal(publish.code, 0, publish.stderr);
    let events: unknown[] = [];
    for (let i = 0; i < 100 && events.length === 0; i++) {
      const got = await ask({ op: 'getData', session: 's' });
      const data = got['data'] as { notifications: unknown[] }[];
      events = data.flatMap((d) => d.notifications);
      if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((events[0] as { data: { description: string } }).data.description, 'disk');
    const malformed = await ask('not json');
    assert.equal(malformed['code'], 'ERR_INVALID_ARGUMENT');
    assert.match(String(malformed['error']), /^request is not JSON/);
    const missing = await ask({ op: 'unsubscribe', session: 's', subscriptionId: 'nope' });
    assert.equal(missing['code'], 'ERR_NOT_FOUND');
    assert.deepEqual(await ask({ op: 'unsubscribe', session: 's' }), {
      ok: true,
      session: 's',
      removed: 1,
    });
    const exited = once(child, 'exit');
    child.stdin.end();
    assert.deepEqual(await exited, [0, null]);
  });

  it("--catalogue adds an application's kinds to publish, subscribe and kinds", async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const module = join(dir.path, 'kinds.mjs');
    const notify = import.meta.resolve('@eventum/notify');
    await writeFile(
      module,
      [
        `import { defineKind, field, optional } from ${JSON.stringify(notify)};`,
        'export const kinds = [defineKind({ id: 9001, name: "door-opened",',
        '  fields: { door: field.string(), floor: optional(field.integer()) } })];',
      ].join('\n'),
    );
    const listed = await runCli(['notify', 'kinds', '--catalogue', module]);
    assert.match(listed.stdout, /"id":9001,"name":"door-opened","fields":\["door","floor"\]/);
    const prefix = `${uniqueRoot()}.events`;
    const args = [
      ...notifyArgs(prefix, 'subscribe', '--kind', 'door-opened'),
      '--catalogue',
      module,
    ];
    const child = spawn(process.execPath, [mainPath, ...args, '--count', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    const ready = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await ready.next()).value, `subscribed to ${prefix}.9001.>`);
    const publish = (...fields: string[]) =>
      runCli([
        ...notifyArgs(prefix, 'publish', 'door-opened', '--origin', 'hq', '--catalogue', module),
        ...fields.flatMap((f) => ['--field', f]),
      ]);
    assert.match((await publish('door=front', 'floor=x')).stderr, /floor: must be integer/);
    assert.equal((await publish('door=front', 'floor=2')).code, 0);
    const got = JSON.parse(String((await lines.next()).value)) as { data: Record<string, unknown> };
    assert.deepEqual([got.data['door'], got.data['floor']], ['front', 2]);
    const missing = await runCli(['notify', 'kinds', '--catalogue', join(dir.path, 'none.mjs')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--catalogue .*none\.mjs: cannot load/);
  });

  it('eventum server with bus.lifecycle announces READY, ACTIVE and TERMINATED', async (t) => {
    const system = uniqueRoot().replace('.', '-');
    const bus = await createNatsBus({ servers: testNatsUrl });
    t.after(() => bus.close());
    const sub = createNotifier({ bus, system }).subscribe({ kind: 'process-lifecycle' });
    await sub.ready;
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    const lifecycle = `{enabled: true, system: ${system}, origin: servers.s7}`;
    const config = [
      'server_id: 7',
      'eventer_server: {host: 127.0.0.1, port: 0}',
      'backend: {type: memory}',
      `bus: {type: nats, servers: "${testNatsUrl}", publish: {enabled: false}, lifecycle: ${lifecycle}}`,
    ];
    await writeFile(conf, config.join('\n'));
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const states = async (n: number) => {
      const events = await takeEvents(sub as unknown as AsyncIterable<BusEvent>, n);
      return (events as unknown as Notification[]).map((x) => [x.origin, x.data['state']]);
    };
    assert.deepEqual(await states(2), [
      ['servers.s7', 2],
      ['servers.s7', 3],
    ]);
    assert.equal(await server.stop(), 0);
    assert.deepEqual(await states(1), [['servers.s7', 4]]);
  });
});
