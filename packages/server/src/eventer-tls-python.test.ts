import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { makeTestCertificates, tempDir } from '@eventum/testing';

import { startServer } from './testing/server-fixture.js';

const run = promisify(execFile);

const ascii = (text: string): string => Buffer.from(text, 'ascii').toString('hex');
/** hat-event.md §2.2: the golden MsgInitReq frame, and the MsgInitRes (operational) answer. */
const INIT_REQ = `0125818101010095${ascii('HatEventer.MsgInitReq')}89816380818181 2a8000`;
const INIT_RES = `011e8181000101 95${ascii('HatEventer.MsgInitRes')}828082`;

/**
 * Python's `ssl` configured as hat-drivers' `create_ssl_ctx(SslProtocol.TLS_CLIENT, ...)` does:
 * no host-name check; `CERT_NONE`, or with `verify_cert` `CERT_REQUIRED` and the CA file. Sends
 * raw frames and prints what comes back as hex.
 */
const HAT_STYLE_CLIENT = `
import socket, ssl, sys
port, ca, request, expected = int(sys.argv[1]), sys.argv[2], bytes.fromhex(sys.argv[3]), int(sys.argv[4])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
if ca:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cafile=ca)
else:
    ctx.verify_mode = ssl.CERT_NONE
with socket.create_connection(('127.0.0.1', port)) as raw:
    with ctx.wrap_socket(raw) as conn:
        conn.sendall(request)
        data = b''
        while len(data) < expected:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        print(data[:expected].hex())
`;

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import ssl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('eventer server over TLS with a Hat-style Python client', () => {
  const skip = hasPython() ? false : 'python3 with the ssl module is not installed';

  it(
    'completes the init handshake with and without certificate verification',
    { skip },
    async (t) => {
      const dir = await tempDir();
      t.after(() => dir.remove());
      const certs = await makeTestCertificates(dir.path);
      const server = await startServer({ tls: { cert: certs.serverCert, key: certs.serverKey } });
      t.after(() => server.close());
      const expected = INIT_RES.replace(/\s/g, '');
      for (const ca of ['', certs.paths.ca]) {
        const args = [
          String(server.address.port),
          ca,
          INIT_REQ.replace(/\s/g, ''),
          String(expected.length / 2),
        ];
        const { stdout } = await run('python3', ['-c', HAT_STYLE_CLIENT, ...args]);
        assert.equal(
          stdout.trim(),
          expected,
          ca === '' ? 'CERT_NONE' : 'CERT_REQUIRED with the CA',
        );
      }
    },
  );
});
