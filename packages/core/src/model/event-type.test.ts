import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, isEventumError } from '../errors.js';
import { formatEventType, isQueryType, parseEventType, validateQueryType } from './event-type.js';

describe('parseEventType', () => {
  it("splits on '/' like Python's str.split", () => {
    assert.deepEqual(parseEventType('a/b/c'), ['a', 'b', 'c']);
    assert.deepEqual(parseEventType('a'), ['a']);
    assert.deepEqual(parseEventType(''), ['']);
    assert.deepEqual(parseEventType('a//b'), ['a', '', 'b']);
    assert.deepEqual(parseEventType('/a/'), ['', 'a', '']);
    assert.deepEqual(parseEventType('a/?/*'), ['a', '?', '*']);
  });
});

describe('formatEventType', () => {
  it("joins with '/' and round-trips non-empty types", () => {
    assert.equal(formatEventType(['a', 'b', 'c']), 'a/b/c');
    for (const type of [['a'], [''], ['a', '', 'b'], ['', '']]) {
      assert.deepEqual(parseEventType(formatEventType(type)), type);
    }
  });

  it('writes the empty type and the empty segment alike', () => {
    assert.equal(formatEventType([]), '');
    assert.equal(formatEventType(['']), '');
  });
});

describe('query type validity', () => {
  it("accepts '*' as the last segment only, '?' anywhere", () => {
    for (const type of [[], ['*'], ['a', '*'], ['?'], ['?', '?', '*'], ['a', ''], ['']]) {
      assert.ok(isQueryType(type), JSON.stringify(type));
      validateQueryType(type);
    }
  });

  it("rejects '*' before the end, naming the type", () => {
    for (const type of [
      ['*', 'a'],
      ['a', '*', '*'],
      ['*', '*'],
    ]) {
      assert.equal(isQueryType(type), false);
      assert.throws(
        () => validateQueryType(type),
        (e: unknown) =>
          isEventumError(e, ErrorCode.InvalidArgument) && e.message.includes(JSON.stringify(type)),
      );
    }
  });
});
