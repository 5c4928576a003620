import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { makeTestCertificates, tempDir } from '@eventum/testing';

import { runCli, startServerProcess } from './testing.js';

describe('eventum over TLS', () => {
  it('serves the CLI over TLS from eventer_server.tls, with the CA or --insecure', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    await makeTestCertificates(dir.path);
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      [
        'eventer_server:',
        '  host: 127.0.0.1',
        '  port: 0',
        '  tls: {cert_path: server.pem, key_path: server.key}',
        'backend: {type: memory}',
      ].join('\n'),
    );
    const server = await startServerProcess(['--conf', conf]);
    t.after(() => server.child.kill('SIGKILL'));
    const address = `ssl+sbs://127.0.0.1:${server.port}`;
    const ca = join(dir.path, 'ca.pem');

    const registered = await runCli(['register', '--address', address, '--ca', ca, 'tls/x', '1']);
    assert.equal(registered.code, 0, registered.stderr);
    const latest = await runCli([
      'query',
      'latest',
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--tls',
      '--ca',
      ca,
      'tls/*',
    ]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.match(latest.stdout, /tls/);
    const insecure = await runCli(['query', 'latest', '--address', address, '--insecure', 'tls/*']);
    assert.equal(insecure.code, 0, insecure.stderr);

    const untrusted = await runCli(['query', 'latest', '--address', address, 'tls/*']);
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stderr, /ERR_REFUSED/);
    const plain = await runCli([
      'query',
      'latest',
      '--address',
      `tcp+sbs://127.0.0.1:${server.port}`,
      'tls/*',
    ]);
    assert.notEqual(plain.code, 0);
  });

  it('reports unreadable TLS files with their paths and exits 1', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = join(dir.path, 'server.yaml');
    await writeFile(
      conf,
      'eventer_server: {port: 0, tls: {cert_path: missing.pem, key_path: nokey.pem, verify_clients: true}}\n',
    );
    const outcome = await runCli(['server', '--conf', conf]);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /ERR_CONFIG/);
    assert.match(
      outcome.stderr,
      /\/eventer_server\/tls\/cert_path: cannot read missing\.pem: ENOENT/,
    );
    assert.match(outcome.stderr, /\/eventer_server\/tls\/key_path: cannot read nokey\.pem: ENOENT/);
    assert.match(
      outcome.stderr,
      /\/eventer_server\/tls\/ca_path: is required when verify_clients is true/,
    );
  });

  it('refuses conflicting connection options', async () => {
    const both = await runCli([
      'query',
      'latest',
      '--address',
      'ssl+sbs://h:1',
      '--port',
      '5',
      'a',
    ]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--address replaces --host and --port/);
    const caWithoutTls = await runCli(['query', 'latest', '--ca', 'x.pem', 'a']);
    assert.equal(caWithoutTls.code, 2);
    assert.match(caWithoutTls.stderr, /--ca and --insecure need --tls/);
  });
});
