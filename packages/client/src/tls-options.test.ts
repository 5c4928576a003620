import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';

import { resolveEventerOptions } from './eventer-options.js';
import { parseEventerAddress, tlsConnectOptions } from './tls-options.js';

const invalid = (e: unknown): boolean => isEventumError(e, 'ERR_INVALID_ARGUMENT');

describe('parseEventerAddress', () => {
  it('reads Hat’s tcp+sbs and ssl+sbs addresses and the short schemes', () => {
    assert.deepEqual(parseEventerAddress('tcp+sbs://127.0.0.1:23012'), {
      host: '127.0.0.1',
      port: 23012,
      tls: false,
    });
    assert.deepEqual(parseEventerAddress('ssl+sbs://events.example:443'), {
      host: 'events.example',
      port: 443,
      tls: true,
    });
    assert.deepEqual(parseEventerAddress('ssl://[::1]:5'), { host: '::1', port: 5, tls: true });
    assert.equal(parseEventerAddress('tls://h:1').tls, true);
    assert.equal(parseEventerAddress('tcp://h:1').tls, false);
  });

  it('names what is wrong with a bad address', () => {
    assert.throws(() => parseEventerAddress('http://h:1'), /scheme http: is not one of/);
    assert.throws(() => parseEventerAddress('ssl+sbs://h'), /needs a host and a port/);
    assert.throws(() => parseEventerAddress('127.0.0.1:23012'), invalid);
    assert.throws(() => parseEventerAddress('nonsense'), invalid);
  });
});

describe('eventer options with an address', () => {
  it('takes host, port and TLS from the address', () => {
    const resolved = resolveEventerOptions({ address: 'ssl+sbs://h:7', clientName: 'c' });
    assert.deepEqual([resolved.host, resolved.port, resolved.tls], ['h', 7, true]);
    const ca = { ca: 'pem' };
    assert.deepEqual(
      resolveEventerOptions({ address: 'ssl://h:7', tls: ca, clientName: 'c' }).tls,
      ca,
    );
    assert.equal(resolveEventerOptions({ address: 'tcp+sbs://h:7', clientName: 'c' }).tls, false);
  });

  it('refuses contradictions', () => {
    const c = { clientName: 'c' };
    assert.throws(() => resolveEventerOptions({ ...c, address: 'tcp://h:1', port: 2 }), invalid);
    assert.throws(() => resolveEventerOptions({ ...c, address: 'tcp://h:1', tls: true }), invalid);
    assert.throws(() => resolveEventerOptions({ ...c, address: 'ssl://h:1', tls: false }), invalid);
  });
});

describe('tlsConnectOptions', () => {
  it('verifies by default, names the host for SNI, and never for an IP address', () => {
    const byName = tlsConnectOptions('events.example', 1, true);
    assert.equal(byName.rejectUnauthorized, true);
    assert.equal(byName.servername, 'events.example');
    assert.equal(tlsConnectOptions('127.0.0.1', 1, true).servername, undefined);
    assert.equal(tlsConnectOptions('h', 1, { verify: false }).rejectUnauthorized, false);
  });

  it('needs a client certificate and its key together', () => {
    assert.throws(() => tlsConnectOptions('h', 1, { cert: 'x' }), invalid);
  });
});
