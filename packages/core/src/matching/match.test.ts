import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import {
  isValidSubject,
  isValidSubjectPattern,
  matchesQueryType,
  matchesSubject,
} from './match.js';

// Hat's 28 cases (test_matches.py): [event type, query type, matches].
const queryCases: [string[], string[], boolean][] = [
  [[], [], true],
  [[], ['*'], true],
  [[], ['?'], false],
  [['a'], [], false],
  [['a'], ['*'], true],
  [['a'], ['?'], true],
  [['a'], ['?', '*'], true],
  [['a'], ['?', '?'], false],
  [['a'], ['a'], true],
  [['a'], ['a', '*'], true],
  [['a'], ['a', '?'], false],
  [['a'], ['b'], false],
  [['a'], ['a', 'b'], false],
  [['a', 'b'], [], false],
  [['a', 'b'], ['*'], true],
  [['a', 'b'], ['?'], false],
  [['a', 'b'], ['?', '*'], true],
  [['a', 'b'], ['?', '?'], true],
  [['a', 'b'], ['?', '?', '*'], true],
  [['a', 'b'], ['?', '?', '?'], false],
  [['a', 'b'], ['a'], false],
  [['a', 'b'], ['a', '*'], true],
  [['a', 'b'], ['a', '?'], true],
  [['a', 'b'], ['a', '?', '*'], true],
  [['a', 'b'], ['a', '?', '?'], false],
  [['a', 'b'], ['?', 'b'], true],
  [['a', 'b'], ['?', 'b', '*'], true],
  [['a', 'b'], ['?', 'b', '?'], false],
  [['a', 'b'], ['b', 'a'], false],
  [['a', 'b'], ['a', 'b', 'c'], false],
];

describe('matchesQueryType', () => {
  for (const [eventType, queryType, expected] of queryCases) {
    it(`${expected ? 'matches' : 'does not match'} ${JSON.stringify(eventType)} against ${JSON.stringify(queryType)}`, () => {
      assert.equal(matchesQueryType(eventType, queryType), expected);
    });
  }

  it('treats empty segments as ordinary segments', () => {
    assert.ok(matchesQueryType([''], ['?']));
    assert.ok(matchesQueryType(['a', ''], ['a', '']));
    assert.equal(matchesQueryType(['a'], ['a', '']), false);
  });

  it("cannot single out literal '?' or '*' event segments", () => {
    assert.ok(matchesQueryType(['x'], ['?']));
    assert.ok(matchesQueryType(['?'], ['?']));
    assert.ok(matchesQueryType(['a', 'b'], ['a', '*']));
    assert.ok(matchesQueryType(['a', '*'], ['a', '*']));
  });
});

// bus-store-notify §1.5: [pattern, subject, matches].
const subjectCases: [string, string, boolean][] = [
  ['topology.abc.mutation.applied', 'topology.abc.mutation.applied', true],
  ['topology.*.mutation.applied', 'topology.abc.mutation.applied', true],
  ['topology.*.mutation.*', 'topology.abc.mutation.applied', true],
  ['topology.>', 'topology.abc.mutation.applied', true],
  ['topology.>', 'topology.abc.status', true],
  ['decky.*.state', 'decky.xyz.state', true],
  ['topology.*', 'topology.abc.mutation.applied', false],
  ['topology.>', 'topology', false],
  ['decky.*.state', 'decky.state', false],
  ['a.b.c', 'a.b', false],
  ['a.b', 'a.b.c', false],
  ['ttp.>', 'ttp', false],
  ['ttp.rule.fired.>', 'ttp.rule.fired', false],
];

describe('matchesSubject', () => {
  for (const [pattern, subject, expected] of subjectCases) {
    it(`${expected ? 'matches' : 'does not match'} '${subject}' against '${pattern}'`, () => {
      assert.equal(matchesSubject(pattern, subject), expected);
    });
  }

  it("lets '*' match only a non-empty token", () => {
    assert.equal(matchesSubject('a.*.c', 'a..c'), false);
    assert.ok(matchesSubject('a..c', 'a..c'));
  });

  it("ignores what follows '>'", () => {
    assert.ok(matchesSubject('a.>.zzz', 'a.b'));
  });

  it('is case-sensitive', () => {
    assert.equal(matchesSubject('a.B', 'a.b'), false);
  });

  it('agrees with token-by-token matching of the split strings on any input', () => {
    const token = fc.constantFrom('', 'a', 'b', 'ab', '*', '>', 'a*');
    const text = fc.array(token, { minLength: 1, maxLength: 5 }).map((t) => t.join('.'));
    fc.assert(
      fc.property(text, text, (pattern, subject) => {
        assert.equal(matchesSubject(pattern, subject), splitMatch(pattern, subject));
      }),
      { numRuns: 5000 },
    );
  });
});

/** The definition, written the obvious way: split both, compare token by token. */
function splitMatch(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === '>') return i < subjectTokens.length;
    const actual = subjectTokens[i];
    if (actual === undefined) return false;
    if (token === '*' ? actual === '' : token !== actual) return false;
  }
  return patternTokens.length === subjectTokens.length;
}

describe('subject validity', () => {
  it('accepts well-formed patterns', () => {
    for (const pattern of ['a', 'a.b', 'a.*', '*', '>', 'a.*.>', 'a-b_c.d']) {
      assert.ok(isValidSubjectPattern(pattern), pattern);
    }
  });

  it('rejects empty tokens, partial wildcards, whitespace and an inner >', () => {
    for (const pattern of ['', 'a..b', '.a', 'a.', 'a*', 'a.b>', 'a.>.b', 'a b', 'a.\tb']) {
      assert.equal(isValidSubjectPattern(pattern), false, pattern);
    }
  });

  it('accepts only wildcard-free subjects for publishing', () => {
    assert.ok(isValidSubject('a.b.c'));
    assert.equal(isValidSubject('a.*'), false);
    assert.equal(isValidSubject('a.>'), false);
    assert.equal(isValidSubject('a..b'), false);
  });
});
