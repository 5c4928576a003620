import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ErrorCode, isEventumError } from '../errors.js';
import type { EventType } from '../model/event-type.js';
import { matchesQueryType } from './match.js';
import { Subscription } from './subscription.js';

type Types = EventType[];

/** Order-free comparison of query type lists. */
const keyOf = (types: Iterable<EventType>): string[] =>
  [...types].map((t) => JSON.stringify(t)).sort();
const assertTypes = (actual: Iterable<EventType>, expected: Types): void => {
  assert.deepEqual(keyOf(actual), keyOf(expected));
};

/** Every event type of length ≤ 4 over segments that exercise literals, '' and wildcards. */
const universe: EventType[] = (() => {
  const segments = ['a', 'b', '', 'x', '?', '*'];
  const out: EventType[] = [[]];
  let level: EventType[] = [[]];
  for (let depth = 0; depth < 4; depth++) {
    level = level.flatMap((prefix) => segments.map((s) => [...prefix, s]));
    out.push(...level);
  }
  return out;
})();

const arbitraryQueryType: fc.Arbitrary<EventType> = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '', '?'), { maxLength: 3 }), fc.boolean())
  .map(([segments, star]) => (star ? [...segments, '*'] : segments));
const arbitraryQueryTypes = fc.array(arbitraryQueryType, { maxLength: 5 });
const reference = (queryTypes: Types) => (eventType: EventType) =>
  queryTypes.some((q) => matchesQueryType(eventType, q));

describe('Subscription construction', () => {
  const cases: [Types, Types][] = [
    [[], []],
    [[[]], [[]]],
    [
      [['a'], ['b'], ['c']],
      [['a'], ['b'], ['c']],
    ],
    [[['a'], ['b', '*'], [], ['*']], [['*']]],
    [[['a', '*'], ['a']], [['a', '*']]],
    [
      [['a', '*'], ['b'], ['c', '?'], ['c', '*']],
      [['a', '*'], ['b'], ['c', '*']],
    ],
    [
      [[''], ['a']],
      [[''], ['a']],
    ],
    [[[''], ['*']], [['*']]],
    [
      [
        ['b', '?'],
        ['b', 'c'],
      ],
      [
        ['b', '?'],
        ['b', 'c'],
      ],
    ],
    [
      [['a'], ['a'], ['a', 'b', '*'], ['a', 'b', 'c']],
      [['a'], ['a', 'b', '*']],
    ],
  ];

  it('sanitises query types like Hat', () => {
    for (const [queryTypes, sanitised] of cases) {
      assertTypes(new Subscription(queryTypes).getQueryTypes(), sanitised);
    }
  });

  it("rejects '*' before the last segment, naming the type", () => {
    for (const bad of [
      ['*', 'a'],
      ['a', '*', 'b'],
    ]) {
      assert.throws(
        () => new Subscription([['*'], bad]),
        (e: unknown) =>
          isEventumError(e, ErrorCode.InvalidArgument) && e.message.includes(JSON.stringify(bad)),
      );
    }
  });

  it('returns fresh arrays, depth first in insertion order', () => {
    const subscription = new Subscription([['b'], ['a', 'x'], ['a']]);
    const types = subscription.getQueryTypes();
    assert.deepEqual(types, [['b'], ['a'], ['a', 'x']]);
    (types[0] as string[]).push('mutated');
    assert.deepEqual(subscription.getQueryTypes()[0], ['b']);
  });

  it('offers all and empty', () => {
    assert.ok(Subscription.all.matches([]) && Subscription.all.matches(['a', 'b']));
    assert.ok(Subscription.empty.isEmpty);
    assert.equal(Subscription.all.isEmpty, false);
    assert.equal(new Subscription([[]]).isEmpty, false);
  });
});

describe('Subscription.matches', () => {
  const cases: [Types, Types, Types][] = [
    [[], [], [['a'], ['a', 'b'], []]],
    [[[]], [[]], [['a'], ['a', 'b']]],
    [[['*']], [[], ['a'], ['a', 'b']], []],
    [[['a']], [['a']], [[], ['a', 'b'], ['b']]],
    [
      [['a', '?'], ['a']],
      [['a'], ['a', 'b'], ['a', '']],
      [[], ['a', 'b', 'c'], ['b'], ['']],
    ],
  ];

  it("answers Hat's examples", () => {
    for (const [queryTypes, matching, notMatching] of cases) {
      const subscription = new Subscription(queryTypes);
      for (const t of matching) assert.equal(subscription.matches(t), true, JSON.stringify(t));
      for (const t of notMatching) assert.equal(subscription.matches(t), false, JSON.stringify(t));
    }
  });

  it('backtracks from a literal branch to a ? branch', () => {
    const subscription = new Subscription([
      ['a', 'b', 'c'],
      ['?', 'b', 'd'],
    ]);
    assert.ok(subscription.matches(['a', 'b', 'd']));
    assert.equal(subscription.matches(['a', 'b', 'e']), false);
  });

  it('agrees with matchesQueryType on every small event type', () => {
    fc.assert(
      fc.property(arbitraryQueryTypes, (queryTypes) => {
        const subscription = new Subscription(queryTypes);
        const expected = reference(queryTypes);
        for (const t of universe) assert.equal(subscription.matches(t), expected(t));
      }),
    );
  });

  it('rebuilds an equivalent subscription from its query types', () => {
    fc.assert(
      fc.property(arbitraryQueryTypes, (queryTypes) => {
        const subscription = new Subscription(queryTypes);
        const rebuilt = new Subscription(subscription.getQueryTypes());
        assertTypes(rebuilt.getQueryTypes(), subscription.getQueryTypes());
        for (const t of universe) assert.equal(rebuilt.matches(t), subscription.matches(t));
      }),
    );
  });
});

describe('Subscription.union', () => {
  const cases: [Types[], Types][] = [
    [[], []],
    [[[]], []],
    [
      [[['a']], [['b']]],
      [['a'], ['b']],
    ],
    [[[['a']], [['b']], [['*']]], [['*']]],
    [
      [[['a', 'b']], [['a', 'c']]],
      [
        ['a', 'b'],
        ['a', 'c'],
      ],
    ],
    [
      [[['a', '']], [['', 'a']]],
      [
        ['a', ''],
        ['', 'a'],
      ],
    ],
  ];

  it("gives Hat's results", () => {
    for (const [operands, expected] of cases) {
      const union = Subscription.empty.union(...operands.map((q) => new Subscription(q)));
      assertTypes(union.getQueryTypes(), expected);
    }
  });

  it('matches a type iff either operand does', () => {
    fc.assert(
      fc.property(arbitraryQueryTypes, arbitraryQueryTypes, (p, q) => {
        const [a, b] = [new Subscription(p), new Subscription(q)];
        const union = a.union(b);
        for (const t of universe) assert.equal(union.matches(t), a.matches(t) || b.matches(t));
      }),
    );
  });

  it('leaves its operands unchanged', () => {
    const a = new Subscription([['a', 'b']]);
    a.union(new Subscription([['a', '*']]));
    assertTypes(a.getQueryTypes(), [['a', 'b']]);
  });
});

describe('Subscription.intersection', () => {
  const cases: [Types, Types, Types][] = [
    [[], [], []],
    [[['a']], [['b']], []],
    [[['*']], [['a'], ['b'], ['c']], [['a'], ['b'], ['c']]],
    [[['a'], ['b']], [['b'], ['c']], [['b']]],
    [[['?', 'b']], [['a', 'b']], [['a', 'b']]],
    [[[''], ['a']], [[''], ['b']], [['']]],
    // Fixed Hat quirks: a `*` also matches the empty remainder.
    [[['*']], [[]], [[]]],
    [[['a', '*']], [['a']], [['a']]],
  ];

  it("gives Hat's results, with the '*' quirk fixed", () => {
    for (const [first, second, expected] of cases) {
      const [a, b] = [new Subscription(first), new Subscription(second)];
      assertTypes(a.intersection(b).getQueryTypes(), expected);
      assertTypes(b.intersection(a).getQueryTypes(), expected);
    }
  });

  it('matches a type iff both operands do', () => {
    fc.assert(
      fc.property(arbitraryQueryTypes, arbitraryQueryTypes, (p, q) => {
        const [a, b] = [new Subscription(p), new Subscription(q)];
        const intersection = a.intersection(b);
        for (const t of universe) {
          assert.equal(intersection.matches(t), a.matches(t) && b.matches(t));
        }
      }),
    );
  });

  it('folds several operands and returns itself for none', () => {
    const a = new Subscription([['?', '*']]);
    const result = a.intersection(new Subscription([['a', '*']]), new Subscription([['?', 'b']]));
    assertTypes(result.getQueryTypes(), [['a', 'b']]);
    assertTypes(a.intersection().getQueryTypes(), [['?', '*']]);
  });
});

describe('Subscription.isDisjoint', () => {
  const cases: [Types, Types, boolean][] = [
    [[], [], true],
    [[['a']], [['b']], true],
    [[['a']], [['a']], false],
    [[['a']], [['?']], false],
    [[['?']], [['?']], false],
    [[['?', 'a']], [['?', 'b']], true],
    [[['a', 'b']], [['*']], false],
    [[['a', 'b', '*']], [['a', 'b']], false],
    [[['a', '', '?']], [['a', '', 'b']], false],
    [[['*']], [], true],
    [[['*']], [[]], false],
  ];

  it("gives Hat's results", () => {
    for (const [first, second, expected] of cases) {
      const [a, b] = [new Subscription(first), new Subscription(second)];
      assert.equal(a.isDisjoint(b), expected, JSON.stringify([first, second]));
      assert.equal(b.isDisjoint(a), expected, JSON.stringify([second, first]));
    }
  });

  it('agrees with an empty intersection and with sampled types', () => {
    fc.assert(
      fc.property(arbitraryQueryTypes, arbitraryQueryTypes, (p, q) => {
        const [a, b] = [new Subscription(p), new Subscription(q)];
        const shared = universe.some((t) => a.matches(t) && b.matches(t));
        assert.equal(a.isDisjoint(b), !shared);
        assert.equal(a.intersection(b).isEmpty, !shared);
      }),
    );
  });
});
