import assert from 'node:assert/strict';
import { it } from 'node:test';

import {
  BUS_ENVELOPE_VERSION,
  createEnvelope,
  decodeEnvelope,
  encodeEnvelope,
} from './envelope.js';

it('creates envelopes with the defaults and encodes them in key order', () => {
  const envelope = createEnvelope('a.b', { x: 1 });
  assert.equal(envelope.v, BUS_ENVELOPE_VERSION);
  assert.match(envelope.id, /^[0-9a-f]{32}$/);
  assert.equal(envelope.type, '');
  assert.ok(Math.abs(envelope.ts - Date.now() / 1000) < 60);
  assert.deepEqual(Object.keys(JSON.parse(encodeEnvelope(envelope)) as object), [
    'v',
    'id',
    'topic',
    'type',
    'ts',
    'payload',
  ]);
  assert.notEqual(createEnvelope('a', {}).id, envelope.id);
});

it('decoding trusts the transport subject over the body topic', () => {
  const body = JSON.parse(encodeEnvelope(createEnvelope('admin.secret', { x: 1 }))) as unknown;
  assert.equal(decodeEnvelope('user.public', body).topic, 'user.public');
});

it('decoding tolerates missing and ill-typed fields', () => {
  for (const body of [
    {},
    { payload: null, type: null, v: 'x', ts: 'y', id: '' },
    'not an object',
    null,
  ]) {
    const event = decodeEnvelope('t', body);
    assert.deepEqual(
      { v: event.v, type: event.type, payload: event.payload },
      { v: 1, type: '', payload: {} },
    );
    assert.match(event.id, /^[0-9a-f]{32}$/);
    assert.ok(Number.isFinite(event.ts));
  }
  assert.equal(decodeEnvelope('t', { v: '2' }).v, 2);
  const fromHeaders = decodeEnvelope('t', {}, { id: 'h', type: 'ty', ts: 5 });
  assert.deepEqual([fromHeaders.id, fromHeaders.type, fromHeaders.ts], ['h', 'ty', 5]);
});

it('encodes the same text as JSON.stringify of the whole envelope', () => {
  const payload = { s: 'quote " slash \\ line\n é \u2028', n: [1.5, -0, 1e21], o: { a: null } };
  for (const envelope of [
    createEnvelope('a.b', payload, { type: 'ty"pe', id: 'i\\d', ts: 1.25 }),
    createEnvelope('ünï.cödé', {}),
    { ...createEnvelope('t', {}), ts: Number.NaN },
  ]) {
    const { v, id, topic, type, ts } = envelope;
    const expected = JSON.stringify({ v, id, topic, type, ts, payload: envelope.payload });
    assert.equal(encodeEnvelope(envelope), expected);
    assert.equal(encodeEnvelope(envelope, JSON.stringify(envelope.payload)), expected);
  }
});
