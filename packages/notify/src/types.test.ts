// Type-level tests: `tsc -b` fails if any `@ts-expect-error` line below stops being an error, so
// the static typing of publishers and subscribers is checked by the build itself. The runtime
// checks refuse the same inputs, which the test asserts too.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { createInProcessBus } from '@eventum/core';

import { field, optional } from './fields.js';
import { ionCatalogue } from './ion.js';
import { defineKind } from './kind.js';
import { createNotifier } from './notifier.js';
import type { AnyNotification } from './subscription.js';

const doorOpened = defineKind({
  id: 9001,
  name: 'door-opened',
  fields: { door: field.string(), floor: optional(field.integer()) },
});

it('tsc rejects fields a kind does not have, wrong types and unknown enum names', async () => {
  const bus = createInProcessBus();
  const notifier = createNotifier({ bus, catalogue: ionCatalogue.with(doorOpened) });
  const lifecycle = notifier.publisher('process-lifecycle', { origin: 'p' });
  const doors = notifier.publisher(doorOpened, { origin: 'hq' });
  const sub = notifier.subscribe({ kind: doorOpened });
  lifecycle.publish({ state: 'ACTIVE' });
  lifecycle.publish({ state: 3, status: 'NO_CACHE', description: 'ok' });
  doors.publish({ door: 'front' });
  const refusals = [
    // @ts-expect-error: `door` is a field of door-opened, not of process-lifecycle
    () => lifecycle.publish({ state: 'ACTIVE', door: 'front' }),
    // @ts-expect-error: not a member name of LifecycleState
    () => lifecycle.publish({ state: 'NOEXIST' }),
    // @ts-expect-error: not a value of LifecycleState
    () => lifecycle.publish({ state: 9 }),
    // @ts-expect-error: `state` is required
    () => lifecycle.publish({ description: 'x' }),
    // @ts-expect-error: floor is an integer
    () => doors.publish({ door: 'front', floor: 'two' }),
    // @ts-expect-error: `state` is not a field of door-opened
    () => doors.publish({ door: 'front', state: 'ACTIVE' }),
    // @ts-expect-error: no such kind in the catalogue
    () => notifier.publisher('no-such-kind'),
  ];
  for (const refuse of refusals) assert.throws(refuse, { code: 'ERR_INVALID_ARGUMENT' });

  const result = await sub.next();
  assert.ok(result.done !== true);
  const door: string = result.value.data.door;
  assert.equal(door, 'front');
  // @ts-expect-error: door-opened notifications have no `state`
  assert.equal(result.value.data.state, undefined);
  const any = (n: AnyNotification<(typeof ionCatalogue.kinds)[number] | typeof doorOpened>) =>
    n.kind === 'process-lifecycle' ? n.data.state : n.kind === 'door-opened' ? n.data.door : 0;
  assert.equal(typeof any, 'function');
  await bus.close();
});
