import assert from 'node:assert/strict';
import { connect as connectSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';

import { connect, connectChatter } from '@eventum/client';
import type { EventerClientOptions } from '@eventum/client';
import { isEventumError } from '@eventum/core';
import { makeTestCertificates, recordingLogger, tempDir } from '@eventum/testing';
import type { TempDir, TestCertificates } from '@eventum/testing';

import type { Server, ServerOptions } from './server.js';
import { startServer } from './testing/server-fixture.js';

let dir: TempDir;
let certs: TestCertificates;

before(async () => {
  dir = await tempDir();
  certs = await makeTestCertificates(dir.path);
});
after(() => dir.remove());

async function tlsServer(extra: Partial<ServerOptions> = {}): Promise<Server> {
  return startServer({ tls: { cert: certs.serverCert, key: certs.serverKey }, ...extra });
}

function address(server: Server): string {
  return `ssl+sbs://127.0.0.1:${server.address.port}`;
}

async function refusal(options: EventerClientOptions): Promise<unknown> {
  try {
    const client = await connect(options);
    await client.close();
  } catch (error) {
    return error;
  }
  return assert.fail('the connection was accepted');
}

/** Connects a raw socket that sends nothing; resolves once the server closed it. */
function silentSocketClosed(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connectSocket({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
  });
}

const isRefused = (error: unknown): boolean => isEventumError(error, 'ERR_REFUSED');

describe('eventer server over TLS', () => {
  it('serves a client that trusts the server’s CA, at a Hat ssl+sbs address', async (t) => {
    const server = await tlsServer();
    t.after(() => server.close());
    const client = await connect({
      address: address(server),
      tls: { ca: certs.ca },
      clientName: 'tls-client',
    });
    t.after(() => client.close());
    const [event] = (await client.register([{ type: ['tls', 'a'], payload: null }], {
      withResponse: true,
    })) ?? [null];
    assert.deepEqual(event?.type, ['tls', 'a']);
    const result = await client.query({ type: 'latest', eventTypes: [['tls', '*']] });
    assert.equal(result.events.length, 1);
  });

  it('verifies the server: an untrusted CA or another host name is refused', async (t) => {
    const server = await tlsServer();
    t.after(() => server.close());
    const base = { address: address(server), clientName: 'c' };
    assert.ok(isRefused(await refusal(base)), 'Node’s default roots do not trust the test CA');
    assert.ok(isRefused(await refusal({ ...base, tls: { ca: certs.otherCa } })));
    const otherName = { ca: certs.ca, serverName: 'eventum.example' };
    const error = await refusal({ ...base, tls: otherName });
    assert.ok(isRefused(error));
    assert.match(String((error as Error).message), /eventum\.example|altnames/i);
  });

  it('accepts any certificate with verify: false (Hat’s default context)', async (t) => {
    const server = await tlsServer();
    t.after(() => server.close());
    const client = await connect({
      address: address(server),
      tls: { verify: false },
      clientName: 'c',
    });
    t.after(() => client.close());
    assert.equal(client.status, 'operational');
  });

  it('drops a plain-TCP client on the TLS port, logging why, and keeps serving', async (t) => {
    const { logger, lines } = recordingLogger();
    const server = await tlsServer({ logger });
    t.after(() => server.close());
    const plain = await connectChatter({ port: server.address.port });
    plain.sendEventer(
      {
        type: 'HatEventer.MsgInitReq',
        data: {
          clientName: 'p',
          clientToken: null,
          subscriptions: [],
          serverId: null,
          persisted: false,
        },
      },
      { last: false },
    );
    await plain.closed;
    const client = await connect({
      address: address(server),
      tls: { ca: certs.ca },
      clientName: 'c',
    });
    await client.close();
    const failed = lines.filter((l) => l.message === 'TLS handshake failed');
    assert.equal(failed.length, 1);
    assert.match(String(failed[0]?.fields['peer']), /^127\.0\.0\.1:\d+$/);
  });

  // The limit turns a peer left open (the defect this pins) into a failure instead of a hang.
  it(
    'drops a peer that never starts the handshake, logging the time-out',
    { timeout: 30_000 },
    async (t) => {
      const { logger, lines } = recordingLogger();
      const tls = { cert: certs.serverCert, key: certs.serverKey, handshakeTimeoutMs: 50 };
      const server = await startServer({ logger, tls });
      t.after(() => server.close());
      await silentSocketClosed(server.address.port);
      await server.close();
      const failed = lines.filter((l) => l.message === 'TLS handshake failed');
      assert.deepEqual(
        failed.map((l) => l.fields['code']),
        ['ERR_TLS_HANDSHAKE_TIMEOUT'],
      );
    },
  );

  it('closes unfinished handshakes when it shuts down', async () => {
    const server = await tlsServer();
    const socket = connectSocket({ port: server.address.port, host: '127.0.0.1' });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    await server.close(); // would wait for the 10 s handshake time-out otherwise
    await closed;
  });

  it('refuses a TLS client at a plain-TCP server', async (t) => {
    const server = await startServer();
    t.after(() => server.close());
    const error = await refusal({
      address: address(server),
      tls: { verify: false },
      clientName: 'c',
    });
    assert.ok(isRefused(error));
  });

  it('with verifyClients, serves only clients whose certificate the CA signed', async (t) => {
    const tls = { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, verifyClients: true };
    const server = await startServer({ tls });
    t.after(() => server.close());
    const client = await connect({
      address: address(server),
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
      clientName: 'mutual',
    });
    await client.close();
    // TLS 1.3 reports a missing client certificate after the client's handshake completed, so
    // the refusal shows either while connecting or as the connection closing during init.
    const error = await refusal({
      address: address(server),
      tls: { ca: certs.ca },
      clientName: 'c',
    });
    assert.ok(isRefused(error) || isEventumError(error, 'ERR_CLOSED'), String(error));
  });

  it('refuses to start with a key that does not match the certificate (ERR_CONFIG)', async () => {
    await assert.rejects(
      startServer({ tls: { cert: certs.serverCert, key: certs.clientKey } }),
      (error: unknown) =>
        isEventumError(error, 'ERR_CONFIG') && /TLS/.test((error as Error).message),
    );
    await assert.rejects(
      startServer({ tls: { cert: 'not a certificate', key: certs.serverKey } }),
      (error: unknown) => isEventumError(error, 'ERR_CONFIG'),
    );
  });
});
