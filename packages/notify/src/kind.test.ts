import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createInProcessBus } from '@eventum/core';

import { Catalogue } from './catalogue.js';
import { field, optional } from './fields.js';
import { dataBlock, ionCatalogue, processLifecycle } from './ion.js';
import { defineKind } from './kind.js';
import { createNotifier } from './notifier.js';
import { notificationPattern, queueName } from './routing.js';

describe('kinds and catalogues', () => {
  it("ION's catalogue has every concrete event id of events.py", () => {
    assert.deepEqual(
      ionCatalogue.kinds.map((k) => k.id),
      [
        1001, 1051, 1052, 1075, 1076, 1101, 1102, 1111, 1112, 1113, 1114, 1115, 1201, 1202, 2001,
        3001, 3002, 3003, 4001, 4001,
      ],
    );
    assert.equal(ionCatalogue.resolve(1052), processLifecycle);
    assert.equal(ionCatalogue.resolve('1052'), processLifecycle);
    assert.equal(ionCatalogue.resolve('data-block'), dataBlock);
    assert.throws(
      () => ionCatalogue.resolve(4001),
      /kind id 4001 is shared by data-block, instrument-sample: name one/,
    );
    assert.throws(() => ionCatalogue.resolve('nope'), /unknown notification kind nope/);
    assert.throws(() => ionCatalogue.resolve(7), /unknown notification kind id 7/);
  });

  it("a kind's JSON Schema holds the envelope and its fields and refuses anything else", () => {
    assert.deepEqual(processLifecycle.schema['required'], ['datetime', 'origin', 'state']);
    assert.equal(processLifecycle.schema['additionalProperties'], false);
    assert.deepEqual(Object.keys(processLifecycle.schema['properties'] as object), [
      'resourceId',
      'name',
      'status',
      'description',
      'datetime',
      'origin',
      'body',
      'userId',
      'state',
    ]);
  });

  it('refuses malformed definitions and duplicate names', () => {
    const fields = { x: optional(field.string()) };
    assert.throws(() => defineKind({ id: 0, name: 'a', fields }), /id must be a positive integer/);
    assert.throws(
      () => defineKind({ id: 1.5, name: 'a', fields }),
      /id must be a positive integer/,
    );
    assert.throws(() => defineKind({ id: 1, name: 'Bad Name', fields }), /lower-case kebab/);
    assert.throws(
      () => defineKind({ id: 1, name: 'a', fields: { origin: field.string() } }),
      /field origin is an envelope field/,
    );
    const a = defineKind({ id: 1, name: 'a', fields });
    assert.throws(
      () => Catalogue.of(a, defineKind({ id: 2, name: 'a', fields })),
      /two kinds are named a/,
    );
    assert.throws(() => ionCatalogue.resolve(a), /kind a is not in this catalogue/);
  });

  it('builds patterns, refuses bad origins, systems and queues', () => {
    assert.equal(notificationPattern('s.events'), 's.events.*.>');
    assert.equal(notificationPattern('s.events', 1001), 's.events.1001.>');
    assert.equal(notificationPattern('s.events', undefined, 'ucsd'), 's.events.*.ucsd');
    assert.throws(() => notificationPattern('s', 1, 'a..b'), /invalid origin pattern "a..b"/);
    assert.equal(queueName('sys', 'prefix_me'), 'sys_prefix_me');
    assert.throws(() => queueName('sys', 'a.b'), /queue must be letters/);
    const bus = createInProcessBus();
    assert.throws(
      () => createNotifier({ bus, system: 'a_b' }),
      /system must be letters, digits and -/,
    );
    assert.throws(
      () => createNotifier({ bus, subjectPrefix: 'a.*' }),
      /subject prefix must be a valid subject/,
    );
    const notifier = createNotifier({ bus });
    assert.equal(notifier.subjectPrefix, 'eventum.events');
    assert.throws(() => notifier.subscribe({ origin: 'a b' }), /invalid origin pattern/);
    assert.throws(() => notifier.subscribe({ queue: 'x y' }), /queue must be letters/);
  });

  it('decode() applies the receipt check to a bus event', async () => {
    const bus = createInProcessBus();
    const notifier = createNotifier({ bus, system: 'x' });
    const sub = bus.subscribe('x.events.>');
    notifier.publish('logging-error', { origin: 'p', description: 'disk' });
    const result = await sub[Symbol.asyncIterator]().next();
    assert.ok(result.done !== true);
    const event = result.value;
    const n = notifier.decode(event);
    assert.equal(n.kind, 'logging-error');
    assert.throws(
      () => notifier.decode({ ...event, type: 'logging-info' }),
      /kind id is 3003, subject says 3002/,
    );
    await bus.close();
  });
});
