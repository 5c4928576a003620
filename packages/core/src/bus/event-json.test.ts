import assert from 'node:assert/strict';
import { it } from 'node:test';

import { readEventPayload } from '../codec/eventer-payload.js';
import { SbsReader } from '../codec/sbs-reader.js';
import { SbsWriter } from '../codec/sbs-writer.js';
import type { Event } from '../model/event.js';
import type { EventPayload } from '../model/payload.js';
import { eventToJson, eventToJsonText } from './event-json.js';

function event(payload: EventPayload | null, sourceTimestamp: Event['sourceTimestamp']): Event {
  return {
    id: { server: 1, session: 2, instance: 3 },
    type: Object.freeze(['a', 'b "quoted"', 'ü']),
    timestamp: { s: 1_700_000_000, us: 5 },
    sourceTimestamp,
    payload,
  };
}

it('writes the same text as JSON.stringify(eventToJson(event))', () => {
  for (const e of [
    event({ type: 'json', data: { x: [1, 'two', null], s: 'line\n"q"' } }, { s: -1, us: 0 }),
    event({ type: 'json', data: 'just a string' }, null),
    event({ type: 'binary', binaryType: 'raw', data: new Uint8Array([0, 15, 255]) }, null),
    event(null, null),
  ]) {
    assert.equal(eventToJsonText(e), JSON.stringify(eventToJson(e)));
    assert.equal(eventToJsonText(e), JSON.stringify(eventToJson(e)), 'again, type text cached');
  }
});

it("passes on the client's JSON text of a payload decoded with its encoding remembered", () => {
  const text = ' { "a" : [1, 2.50] , "b": "é" } ';
  const w = new SbsWriter();
  w.writeChoice(1);
  w.writeString(text);
  const bytes = w.finish().slice();
  const payload = readEventPayload(
    new SbsReader(bytes, 0, bytes.length, { rememberPayloads: true }),
  );
  const e = event(payload, null);
  const written = eventToJsonText(e);
  assert.ok(written.includes(`"data":${text}}`));
  assert.deepEqual(JSON.parse(written), eventToJson(e));
});
