import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EventType } from '../model/event-type.js';
import { EventTypeCollection } from './event-type-collection.js';
import { matchesQueryType } from './match.js';
import { Subscription } from './subscription.js';

const sorted = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);

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

type Operation =
  | {
      readonly op: 'add';
      readonly queryTypes: EventType[];
      readonly value: number;
    }
  | { readonly op: 'remove'; readonly value: number };

const arbitraryValue = fc.integer({ min: 0, max: 5 });
const arbitraryOperation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      queryTypes: fc.array(arbitraryQueryType, { maxLength: 4 }),
      value: arbitraryValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('remove' as const),
      value: arbitraryValue,
    }),
  },
);

/** The linear-scan model: each value with every query type it was added with. */
function applyToModel(model: Map<number, EventType[]>, operation: Operation): void {
  if (operation.op === 'remove') {
    model.delete(operation.value);
    return;
  }
  if (operation.queryTypes.length === 0) return;
  model.set(operation.value, [...(model.get(operation.value) ?? []), ...operation.queryTypes]);
}

function modelGet(model: Map<number, EventType[]>, eventType: EventType): number[] {
  const out: number[] = [];
  for (const [value, queryTypes] of model) {
    if (queryTypes.some((q) => matchesQueryType(eventType, q))) out.push(value);
  }
  return sorted(out);
}

describe('EventTypeCollection', () => {
  it("answers Hat's collection example", () => {
    const collection = new EventTypeCollection<number>();
    assert.deepEqual(sorted(collection.get([])), []);
    assert.deepEqual(sorted(collection.get(['a', 'b', 'c'])), []);

    collection.add(new Subscription([['*']]), 1);
    collection.add(new Subscription([]), 2);
    collection.add(new Subscription([['?', 'b', 'c']]), 3);
    collection.add(new Subscription([['a', 'b', 'c']]), 4);
    assert.deepEqual(sorted(collection.get([])), [1]);
    assert.deepEqual(sorted(collection.get(['a', 'b', 'c'])), [1, 3, 4]);
    assert.deepEqual(sorted(collection.get(['x', 'b', 'c'])), [1, 3]);

    collection.remove(3);
    assert.deepEqual(sorted(collection.get([])), [1]);
    assert.deepEqual(sorted(collection.get(['a', 'b', 'c'])), [1, 4]);
    assert.deepEqual(sorted(collection.get(['x', 'b', 'c'])), [1]);
  });

  it('keeps adding query types of a value already present at one node (fixes PyTree)', () => {
    const collection = new EventTypeCollection<string>();
    collection.add(new Subscription([['a']]), 'v');
    collection.add(new Subscription([['a'], ['b']]), 'v');
    assert.deepEqual([...collection.get(['b'])], ['v']);
  });

  it('returns each value once and removes all its registrations', () => {
    const collection = new EventTypeCollection<string>([
      [new Subscription([['a', '*']]), 'v'],
      [
        new Subscription([
          ['a', '?'],
          ['?', 'b'],
        ]),
        'v',
      ],
      [new Subscription([['a', 'b']]), 'w'],
    ]);
    assert.deepEqual([...collection.get(['a', 'b'])].sort(), ['v', 'w']);
    assert.ok(collection.has('v'));
    collection.remove('v');
    assert.equal(collection.has('v'), false);
    assert.deepEqual([...collection.get(['a', 'b'])], ['w']);
    assert.deepEqual([...collection.get(['a'])], []);
    collection.remove('unknown');
  });

  it('matches values by identity', () => {
    const [first, second] = [{ name: 'x' }, { name: 'x' }];
    const collection = new EventTypeCollection<object>();
    collection.add(new Subscription([['a']]), first);
    collection.add(new Subscription([['a']]), second);
    collection.remove(first);
    assert.deepEqual([...collection.get(['a'])], [second]);
  });

  it('returns a fresh set each time', () => {
    const collection = new EventTypeCollection<number>([[Subscription.all, 1]]);
    const result = collection.get(['a']);
    collection.add(Subscription.all, 2);
    assert.deepEqual([...result], [1]);
  });

  it('agrees with a linear scan over matchesQueryType after adds and removes', () => {
    fc.assert(
      fc.property(fc.array(arbitraryOperation, { maxLength: 12 }), (operations) => {
        const collection = new EventTypeCollection<number>();
        const model = new Map<number, EventType[]>();
        for (const operation of operations) {
          if (operation.op === 'add') {
            collection.add(new Subscription(operation.queryTypes), operation.value);
          } else {
            collection.remove(operation.value);
          }
          applyToModel(model, operation);
        }
        for (const t of universe) assert.deepEqual(sorted(collection.get(t)), modelGet(model, t));
      }),
    );
  });
});
