// JSON payload text, spec: hat-event.md §1.6 (`json.dumps(data, allow_nan=False)`;
// decoders accept any valid JSON text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode } from '../errors.js';
import type { JsonValue } from '../model/payload.js';
import { jsonUtf8, stringifyJson } from './json-writer.js';

const decoder = new TextDecoder();
const text = (value: unknown): string => decoder.decode(jsonUtf8(value as JsonValue));
const invalidArgument = { code: ErrorCode.InvalidArgument };

describe('jsonUtf8', () => {
  it('writes exactly what JSON.stringify writes for JSON values (property)', () => {
    const unicode = fc.jsonValue({ stringUnit: 'binary' });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), unicode), (value) => {
        assert.equal(text(value), JSON.stringify(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes escapes, lone surrogates and non-ASCII like JSON.stringify', () => {
    const value = { 'k"\\': ['\u0000\n\t', '\ud800', '°C', '\u007f', '😀'] };
    assert.equal(text(value), JSON.stringify(value));
  });

  it('matches JSON.stringify for objects it hands over to JSON.stringify', () => {
    const date = new Date(0);
    class Point {
      readonly x = 1;
      readonly y = 2;
    }
    const values: unknown[] = [
      { when: date },
      new Point(),
      { toJSON: () => 'custom' },
      Object.assign(Object.create(null) as object, { a: 1 }),
      { skipped: undefined, fn: () => 1, sym: Symbol('s'), kept: -0 },
      [1e21, 5e-7, -0, 0.1],
    ];
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    values.push(deep);
    for (const value of values) assert.equal(text(value), JSON.stringify(value));
  });

  for (const [name, value] of [
    ['NaN', NaN],
    ['-Infinity nested in an object', { a: { b: -Infinity } }],
    ['an undefined array item', [undefined]],
    ['a sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['a function array item', [() => 1]],
    ['a bigint', { n: 1n }],
    ['undefined', undefined],
    [
      'a cycle',
      ((): unknown => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
  ] as const) {
    it(`rejects ${name} (allow_nan=False)`, () => {
      assert.throws(() => jsonUtf8(value as JsonValue), invalidArgument);
    });
  }

  it('returns a view that the next call reuses', () => {
    const first = jsonUtf8([1]);
    const copy = first.slice();
    jsonUtf8('x'.repeat(10));
    assert.notDeepEqual(first, copy);
  });
});

describe('stringifyJson', () => {
  it('leaves the text "null" and JSON null alone', () => {
    assert.equal(stringifyJson({ a: null, b: 'null' }), '{"a":null,"b":"null"}');
  });

  it('rejects values JSON.stringify would turn into null', () => {
    assert.throws(() => stringifyJson([NaN]), invalidArgument);
    assert.throws(() => stringifyJson({ a: [Infinity] }), invalidArgument);
  });
});
