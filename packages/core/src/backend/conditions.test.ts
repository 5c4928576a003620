import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Event } from '../model/event.js';
import type { EventType } from '../model/event-type.js';
import type { EventPayload, JsonValue } from '../model/payload.js';
import { Conditions, compileCondition, getJsonPath, jsonEquals } from './conditions.js';
import type { ConditionConfig } from './storage-config.js';

function event(type: EventType, payload: EventPayload | null): Event {
  return {
    id: { server: 1, session: 1, instance: 1 },
    type,
    timestamp: { s: 0, us: 0 },
    sourceTimestamp: null,
    payload,
  };
}

const json = (data: JsonValue): EventPayload => ({ type: 'json', data });
const binary: EventPayload = { type: 'binary', binaryType: 'x', data: Uint8Array.of(1) };

describe('conditions (hat-event.md §4.4.8)', () => {
  it('applies a bare json condition only to the types it subscribes', () => {
    const conditions = new Conditions([{ subscriptions: [['a']], condition: { type: 'json' } }]);
    assert.equal(conditions.matches(event(['a'], json(null))), true);
    assert.equal(conditions.matches(event(['b'], null)), true);
    assert.equal(conditions.matches(event(['a'], null)), false);
    assert.equal(conditions.matches(event(['a'], binary)), false);
  });

  it('requires every matching rule (AND across rules)', () => {
    const conditions = new Conditions([
      { subscriptions: [['a', '*']], condition: { type: 'json', data_type: 'number' } },
      { subscriptions: [['a', 'b']], condition: { type: 'json', data_value: 1 } },
    ]);
    assert.equal(conditions.matches(event(['a', 'b'], json(1))), true);
    assert.equal(conditions.matches(event(['a', 'b'], json(2))), false);
    assert.equal(conditions.matches(event(['a', 'c'], json(2))), true);
  });

  it('any: at least one sub-condition (empty is false)', () => {
    const any = compileCondition({
      type: 'any',
      conditions: [
        { type: 'json', data_value: 1 },
        { type: 'json', data_value: 2 },
      ],
    });
    assert.equal(any(event(['a'], json(1))), true);
    assert.equal(any(event(['a'], json(2))), true);
    assert.equal(any(event(['a'], json(3))), false);
    assert.equal(compileCondition({ type: 'any', conditions: [] })(event(['a'], json(1))), false);
  });

  it('all: every sub-condition (empty is true)', () => {
    const all = compileCondition({
      type: 'all',
      conditions: [
        { type: 'json', data_path: 'x', data_value: 1 },
        { type: 'json', data_path: 'y', data_value: 2 },
      ],
    });
    assert.equal(all(event(['a'], json({ x: 1, y: 2 }))), true);
    assert.equal(all(event(['a'], json({ x: 1, y: 3 }))), false);
    assert.equal(compileCondition({ type: 'all', conditions: [] })(event(['a'], null)), true);
  });

  it('checks each data_type (numbers exclude booleans)', () => {
    const cases: [ConditionConfig, JsonValue, boolean][] = [
      [{ type: 'json', data_type: 'null' }, null, true],
      [{ type: 'json', data_type: 'null' }, 0, false],
      [{ type: 'json', data_type: 'boolean' }, false, true],
      [{ type: 'json', data_type: 'boolean' }, 0, false],
      [{ type: 'json', data_type: 'string' }, 'x', true],
      [{ type: 'json', data_type: 'number' }, 1.5, true],
      [{ type: 'json', data_type: 'number' }, true, false],
      [{ type: 'json', data_type: 'array' }, [1], true],
      [{ type: 'json', data_type: 'array' }, { 0: 1 }, false],
      [{ type: 'json', data_type: 'object' }, { a: 1 }, true],
      [{ type: 'json', data_type: 'object' }, [], false],
    ];
    for (const [condition, data, expected] of cases) {
      assert.equal(
        compileCondition(condition)(event(['a'], json(data))),
        expected,
        JSON.stringify([condition, data]),
      );
    }
  });

  it('compares data_value deeply and strictly (true is not 1)', () => {
    const condition = compileCondition({ type: 'json', data_value: { a: [1, { b: null }] } });
    assert.equal(condition(event(['a'], json({ a: [1, { b: null }] }))), true);
    assert.equal(condition(event(['a'], json({ a: [1, { b: 0 }] }))), false);
    assert.equal(jsonEquals(true, 1), false);
    assert.equal(jsonEquals([1, 2], [1, 2, 3]), false);
    assert.equal(jsonEquals({ a: 1 }, { b: 1 }), false);
  });
});

describe('getJsonPath', () => {
  const data: JsonValue = { a: [10, { b: 'x' }, 30], c: null };

  it('selects members, indexes (negative from the end) and nested paths', () => {
    assert.equal(getJsonPath(data, ['a', 1, 'b']), 'x');
    assert.equal(getJsonPath(data, ['a', -1]), 30);
    assert.equal(getJsonPath(data, [['a'], [[0]]]), 10);
    assert.deepEqual(getJsonPath(data, []), data);
  });

  it('gives null for anything missing', () => {
    assert.equal(getJsonPath(data, 'missing'), null);
    assert.equal(getJsonPath(data, ['a', 5]), null);
    assert.equal(getJsonPath(data, ['a', 'b']), null);
    assert.equal(getJsonPath(data, 0), null);
    assert.equal(getJsonPath(data, ['c', 'd']), null);
  });
});
