import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files made by {@link makeTestCertificates}, with their contents. */
export interface TestCertificates {
  /** Paths of the files, in the directory given. */
  readonly paths: {
    readonly ca: string;
    readonly serverCert: string;
    readonly serverKey: string;
    readonly clientCert: string;
    readonly clientKey: string;
    readonly otherCa: string;
  };
  readonly ca: Buffer;
  readonly serverCert: Buffer;
  readonly serverKey: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  /** A CA that signed nothing here: trusting only it must fail verification. */
  readonly otherCa: Buffer;
}

/**
 * Makes a test CA with `openssl`, a server certificate it signs for `localhost` and 127.0.0.1,
 * and a client certificate it signs (for mutual TLS), plus an unrelated CA. EC P-256 keys, valid
 * for one day. Needs `openssl` on PATH.
 */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  const p = (name: string): string => join(dir, name);
  await selfSigned(p('ca.key'), p('ca.pem'), 'eventum test CA');
  await selfSigned(p('other-ca.key'), p('other-ca.pem'), 'unrelated CA');
  await writeFile(p('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  await writeFile(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  await signed(p('server'), 'localhost', p('server.ext'), dir);
  await signed(p('client'), 'eventum test client', p('client.ext'), dir);
  const paths = {
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    otherCa: p('other-ca.pem'),
  };
  const read = (path: string): Promise<Buffer> => readFile(path);
  return {
    paths,
    ca: await read(paths.ca),
    serverCert: await read(paths.serverCert),
    serverKey: await read(paths.serverKey),
    clientCert: await read(paths.clientCert),
    clientKey: await read(paths.clientKey),
    otherCa: await read(paths.otherCa),
  };
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function selfSigned(key: string, cert: string, name: string): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    ...KEY,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  ]);
}

async function signed(base: string, name: string, ext: string, dir: string): Promise<void> {
  await run('openssl', [
    'req',
    '-new',
    ...KEY,
    '-keyout',
    `${base}.key`,
    '-out',
    `${base}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-out',
    `${base}.pem`,
    '-days',
    '1',
    '-extfile',
    ext,
  ]);
}
