import assert from 'node:assert/strict';
import { get } from 'node:https';
import { describe, it } from 'node:test';

import { makeTestCertificates, tempDir } from '@eventum/testing';

import { call, startHttpServer, WsProbe } from './http-testing.js';
import { runCli } from './testing.js';

describe('HTTP API security', () => {
  it('asks for a configured bearer token on the API and metrics, not on health or the console', async (t) => {
    const { base, process } = await startHttpServer(t, [
      'server_token: eventer-secret',
      'http_server: {tokens: [alpha, beta], accept_server_token: true}',
    ]);
    assert.equal(
      process.log.some((l) => l.includes('alpha')),
      false,
      'tokens are never logged',
    );
    const missing = await call(base, 'GET', '/api/status');
    assert.equal(missing.status, 401);
    assert.equal((missing.body as { code: string }).code, 'ERR_REFUSED');
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="eventum"');
    const wrong = await call(base, 'GET', '/metrics', undefined, { authorization: 'Bearer gamma' });
    assert.equal(wrong.status, 401);
    assert.match((wrong.body as { detail: string }).detail, /invalid bearer token/);
    for (const token of ['alpha', 'beta', 'eventer-secret']) {
      const answer = await call(base, 'GET', '/api/status', undefined, {
        authorization: `Bearer ${token}`,
      });
      assert.equal(answer.status, 200, token);
    }
    assert.equal((await call(base, 'GET', '/healthz')).status, 200);
    assert.equal((await call(base, 'GET', '/openapi.json')).status, 200);

    const ws = base.replace('http', 'ws');
    await assert.rejects(WsProbe.open(`${ws}/api/live`), /401/);
    const probe = await WsProbe.open(`${ws}/api/live?token=beta`);
    await probe.next((m) => m['type'] === 'subscribed');
    probe.close();
  });

  it('sends CORS headers only to the configured origins', async (t) => {
    const { base } = await startHttpServer(t, [
      'http_server: {cors_origins: ["http://console.test"]}',
    ]);
    const allowed = await call(base, 'GET', '/api/status', undefined, {
      origin: 'http://console.test',
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://console.test');
    const other = await call(base, 'GET', '/api/status', undefined, { origin: 'http://evil.test' });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const preflight = await call(base, 'OPTIONS', '/api/register', undefined, {
      origin: 'http://console.test',
      'access-control-request-method': 'POST',
    });
    assert.equal(preflight.status, 204);
  });

  it('serves HTTPS with the configured certificate, bound to 127.0.0.1 by default', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const certs = await makeTestCertificates(dir.path);
    const { base, process } = await startHttpServer(t, [
      `http_server: {tls: {cert_path: ${certs.paths.serverCert}, key_path: ${certs.paths.serverKey}}}`,
    ]);
    assert.ok(base.startsWith('https://127.0.0.1:'));
    const listening = process.log.find((l) => l.includes('http server listening'))!;
    assert.equal((JSON.parse(listening) as { host: string }).host, '127.0.0.1');
    const body = await new Promise<string>((resolve, reject) => {
      get(`${base}/api/status`, { ca: certs.ca }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      }).once('error', reject);
    });
    assert.equal((JSON.parse(body) as { status: string }).status, 'operational');
    await assert.rejects(
      new Promise((resolve, reject) => get(`${base}/healthz`, resolve).once('error', reject)),
      /self.signed|unable to verify|certificate/i,
    );
  });

  it('rejects a bad http_server section naming every problem with its path', async (t) => {
    const dir = await tempDir();
    t.after(() => dir.remove());
    const conf = `${dir.path}/bad.yaml`;
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(
        conf,
        'http_server: {port: 99999, tokens: [""], colour: red, tls: {cert_path: missing.pem}}\n',
      ),
    );
    const outcome = await runCli(['server', '--conf', conf]);
    assert.notEqual(outcome.code, 0);
    for (const issue of [
      /\/http_server\/port: must be <= 65535/,
      /\/http_server\/tokens\/0: must NOT have fewer than 1 characters/,
      /\/http_server\/colour: unknown property/,
      /\/http_server\/tls\/key_path: is required/,
    ]) {
      assert.match(outcome.stderr, issue);
    }
  });
});
