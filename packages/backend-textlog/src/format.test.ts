import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ProtocolError } from '@eventum/core';
import type { Event } from '@eventum/core';
import { json, makeEvent } from '@eventum/testing';

import { formatEvent, parseEvents } from './format.js';

const binary: Event = makeEvent(2, 3, 4, ['bin', 'a/b'], {
  timestamp: { s: -10, us: 5 },
  sourceTimestamp: { s: 1, us: 999_999 },
  payload: { type: 'binary', binaryType: 'raw:x', data: new Uint8Array([0, 1, 255, 10]) },
});

describe('textlog format', () => {
  it('writes a readable block', () => {
    const event = makeEvent(1, 2, 3, ['a', 'b'], { payload: json({ text: 'héllo\nworld' }) });
    assert.equal(
      formatEvent(event),
      'event: 1/2/3\ntype: ["a","b"]\ntimestamp: 1700000002.000000\n' +
        'source_timestamp: none\npayload: json\nlength: 24\n' +
        '{"text":"héllo\\nworld"}\nend\n\n',
    );
  });

  it('writes the example block of docs/backends/textlog.md', () => {
    const door = makeEvent(1, 7, 2, ['sensors', 'door1'], {
      timestamp: { s: 1_509_989_630, us: 674_905 },
      payload: json('Door has been unlocked'),
    });
    assert.equal(
      formatEvent(door),
      [
        'event: 1/7/2',
        'type: ["sensors","door1"]',
        'timestamp: 1509989630.674905',
        'source_timestamp: none',
        'payload: json',
        'length: 24',
        '"Door has been unlocked"',
        'end',
        '',
        '',
      ].join('\n'),
    );
  });

  it('round-trips json, binary and empty payloads, negative and microsecond timestamps', () => {
    const events = [
      makeEvent(1, 1, 1, ['a'], { payload: json({ n: [1, null, 'end\n\n'] }) }),
      binary,
      makeEvent(1, 1, 2, ['none'], { payload: null }),
    ];
    assert.deepEqual(parseEvents(Buffer.from(events.map(formatEvent).join(''))), events);
  });

  it('skips the content when parsing headers only', () => {
    const [parsed] = parseEvents(Buffer.from(formatEvent(binary)), true);
    assert.deepEqual(parsed, { ...binary, payload: null });
  });

  it('rejects a truncated block', () => {
    const text = formatEvent(binary);
    assert.throws(
      () => parseEvents(Buffer.from(text.slice(0, -3))),
      (e) => e instanceof ProtocolError,
    );
  });
});
