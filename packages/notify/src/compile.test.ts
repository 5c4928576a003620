// The compiled publish path (compile.ts) against the general one it stands in for: the same
// payload, in the same key order, for every input the kind's schema accepts, and a refusal for
// every input it refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { compilePayloadCheck } from './compile-check.js';
import { compilePayloadBuilder } from './compile.js';
import { buildAndCheck, createNotification } from './create.js';
import { field, optional } from './fields.js';
import type { Field } from './fields.js';
import { ionCatalogue } from './ion.js';
import { defineKind, envelopeFields } from './kind.js';
import type { Kind } from './kind.js';
import { NotificationError, isValid } from './validate.js';

const Colour = { RED: 'red', GREEN: 'green', BLUE: 'red-ish' } as const;
const sample = defineKind({
  id: 9101,
  name: 'compile-sample',
  fields: {
    label: field.string({ maxLength: 3, pattern: '^[a-z]*$' }),
    floor: optional(field.integer({ minimum: -2, maximum: 40 })),
    count: optional(field.integer()),
    level: optional(field.number()),
    on: optional(field.boolean()),
    colour: optional(field.enum(Colour)),
    tags: optional(field.array(field.string())),
    extra: optional(field.object()),
    code: optional(field.json<string | number>({ anyOf: [{ type: 'string' }, { minimum: 7 }] })),
  },
});
const kinds: readonly Kind[] = [...ionCatalogue.kinds, sample];

const oddKeys = ['colourful', 'toString', 'constructor', '0', 'Origin'];
const words = [
  ...['ACTIVE', 'NEW', 'IN_PROGRESS', 'STARTED', 'DONE', 'dataset', 'RED', 'red', 'red-ish'],
  ...['unknown', 'hq', 'a.b', 'a..b', 'a b', '*', 'x.>', '', 'abc', 'abcd', 'ab1', 'TERMINATED'],
];
const value = fc.oneof(
  fc.constantFrom(...words),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(1.5, -0, 2 ** 53, -(2 ** 53), NaN, Infinity, 1e300, 1_700_000_000.25),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer())),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
);
/** Values of the type `spec` asks for (which its bounds, pattern or members may still refuse). */
function plausible(spec: Field): fc.Arbitrary<unknown> {
  if (spec.members !== undefined) {
    return fc.constantFrom(...Object.keys(spec.members), ...Object.values(spec.members));
  }
  switch (spec.schema['type']) {
    case 'string':
      return fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(...words));
    case 'integer':
      return fc.integer({ min: -5, max: 50 });
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 });
    case 'object':
      return fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }));
    default:
      return value;
  }
}

/** Inputs for `k`: mostly its own fields (envelope included) with values of their type, now and
 * then any value, or another key. */
const inputOf = (k: Kind) => {
  const entry = fc.oneof(
    ...Object.entries({ ...k.fields, ...envelopeFields }).map(([name, spec]) =>
      fc.tuple(fc.constant(name), fc.oneof({ weight: 4, arbitrary: plausible(spec) }, value)),
    ),
    fc.tuple(fc.constantFrom(...oddKeys), value),
  );
  return fc
    .array(entry, { maxLength: 6 })
    .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
};
const defaultOrigin = fc.option(fc.constantFrom('hq', 'a.b.c', 'unknown', 'a b', '', 'x*'), {
  nil: undefined,
  freq: 4,
});
/** A kind, an input for it and a publisher's default origin. */
const cases = fc
  .constantFrom(...kinds)
  .chain((k) => fc.tuple(fc.constant(k), inputOf(k), defaultOrigin));

/** The default `datetime` both paths are given. */
const now = 1_700_000_000.5;

/** What the general path makes of `input`: the payload, or the error's message. */
function reference(k: Kind, given: unknown, origin: string | undefined) {
  try {
    return { payload: buildAndCheck(k, given as never, origin, now) as Record<string, unknown> };
  } catch (error) {
    assert.ok(error instanceof NotificationError, String(error));
    return { error: error.message };
  }
}

const checks = new Map(kinds.map((k) => [k, compilePayloadCheck(k)]));
const checkOf = (k: Kind) => checks.get(k);

describe('compiled payload builders', () => {
  it('compile every kind of the catalogue and every field builder', () => {
    for (const k of kinds) assert.ok(compilePayloadBuilder(k), k.name);
  });

  it('accept exactly what the general path accepts, building the same payload (property)', () => {
    fc.assert(
      fc.property(cases, ([k, given, origin]) => {
        const built = compilePayloadBuilder(k)?.(given, origin, now);
        const expected = reference(k, given, origin);
        if (built === undefined) {
          assert.ok('error' in expected, `refused what the schema accepts: ${k.name}`);
          return;
        }
        assert.ok(isValid(k, built), `built what the schema refuses: ${JSON.stringify(built)}`);
        assert.ok(
          'payload' in expected,
          `accepted what the general path refuses: ${expected.error}`,
        );
        assert.deepEqual(Object.keys(built), Object.keys(expected.payload));
        assert.deepEqual(built, expected.payload);
      }),
      { numRuns: 3000 },
    );
  });

  it('leave createNotification refusing with the same error as before (property)', () => {
    fc.assert(
      fc.property(cases, ([k, given, origin]) => {
        const expected = reference(k, given, origin);
        if ('payload' in expected) return;
        assert.throws(() => createNotification(k, given as never, origin), {
          name: 'NotificationError',
          message: expected.error,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("the receipt's compiled check passes only what the schema accepts (property)", () => {
    const payloads = cases.map(([k, given, origin]) => {
      // Payloads as built, and inputs with an envelope added: names, odd keys, wrong values.
      const built = compilePayloadBuilder(k)?.(given, origin, now);
      const raw = {
        ...given,
        origin: given['origin'] ?? origin,
        datetime: given['datetime'] ?? now,
      };
      return [k, built ?? raw, built !== undefined] as const;
    });
    fc.assert(
      fc.property(payloads, ([k, payload, built]) => {
        // One check per kind across the runs: the origin it remembers is put to the test too.
        const passed = checkOf(k)?.(payload);
        const valid = isValid(k, payload);
        if (passed === true) assert.ok(valid, `passed what the schema refuses: ${k.name}`);
        // Built payloads (and any without a field set to undefined, which the check leaves to
        // ajv) pass exactly when the schema accepts them.
        if (built || !Object.values(payload).includes(undefined)) assert.equal(passed, valid);
      }),
      { numRuns: 3000 },
    );
    for (const k of kinds) assert.ok(checkOf(k), k.name);
  });

  it('refuse what is no object, and leave odd inputs to the general path', () => {
    const build = compilePayloadBuilder(sample);
    for (const given of [null, [], 'label', 3]) assert.equal(build?.(given, 'hq', now), undefined);
    // An own `__proto__` key: the general path decides (assigning it sets no field).
    const odd = JSON.parse('{"label":"ab","__proto__":5}') as Record<string, unknown>;
    assert.equal(build?.(odd, 'hq', now), undefined);
    assert.deepEqual(Object.keys(createNotification(sample, odd as never, 'hq')), [
      'label',
      'origin',
      'datetime',
    ]);
  });

  it('are not made for schemas with references, which the general path still checks', () => {
    const linked = defineKind({
      id: 9102,
      name: 'compile-linked',
      fields: { part: field.json<string>({ $ref: '#/properties/origin' }) },
    });
    assert.equal(compilePayloadBuilder(linked), undefined);
    assert.equal(createNotification(linked, { part: 'a.b' }, 'hq').part, 'a.b');
    assert.throws(() => createNotification(linked, { part: 'a b' }, 'hq'), /part/);
  });
});
