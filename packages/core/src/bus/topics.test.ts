import assert from 'node:assert/strict';
import { it } from 'node:test';

import fc from 'fast-check';

import { isValidSubject } from '../matching/match.js';
import {
  escapeSubjectToken,
  eventTypeToSubject,
  subjectToEventType,
  topic,
  topics,
  unescapeSubjectToken,
} from './topics.js';

it('topic builders reject empty, dot, wildcard and whitespace segments', () => {
  assert.equal(topic('decky', 'host:name', 'state'), 'decky.host:name.state');
  for (const bad of ['', 'a.b', '*', '>', 'a b', 'a\tb', 'T1110.001']) {
    assert.throws(() => topic('decky', bad), /invalid topic segment/);
  }
  assert.equal(topics.system('bus.health'), 'system.bus.health');
  assert.throws(() => topics.system(''), /invalid topic leaf/);
  assert.equal(topics.systemHealth('agent'), 'system.agent.health');
  assert.equal(topics.systemControl('agent'), 'system.agent.control');
});

it('escapes event type segments reversibly into valid subjects', () => {
  assert.equal(escapeSubjectToken('a.b'), 'a~2Eb');
  assert.equal(escapeSubjectToken(''), '~');
  assert.equal(escapeSubjectToken('~'), '~7E');
  assert.equal(eventTypeToSubject('eventum.1', ['a', '*', 'b c']), 'eventum.1.a.~2A.b~20c');
  assert.deepEqual(subjectToEventType('eventum.1', 'eventum.1.a.~2A.b~20c'), ['a', '*', 'b c']);
  assert.equal(eventTypeToSubject('', []), '~~');
  assert.deepEqual(subjectToEventType('', '~~'), []);
  assert.throws(() => subjectToEventType('eventum.1', 'other.a'), /not under/);
  assert.throws(() => unescapeSubjectToken('a~zz'), /malformed escape/);
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 4 }), (type) => {
      const subject = eventTypeToSubject('p', type);
      assert.ok(isValidSubject(subject), subject);
      assert.deepEqual(subjectToEventType('p', subject), type);
    }),
  );
});
