import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import { json, makeEvent, session, waitFor } from '@eventum/testing';

import { idsOf, lmdbHarness } from './testing/harness.js';

describe('lmdb backend: registration', () => {
  it('skips stale ids, earlier timestamps and failed conditions: not returned, notified or stored', async (t) => {
    const h = await lmdbHarness(t, {
      conditions: [{ subscriptions: [['c']], condition: { type: 'json', data_type: 'number' } }],
    });
    const { backend, registered, flushed, warnings } = await h.open();
    await backend.register(session(1, 5, [['a']]));
    const stale = makeEvent(1, 4, 1, ['stale']);
    const early = makeEvent(1, 6, 1, ['early'], { timestamp: { s: 1, us: 0 } });
    const rejected = makeEvent(1, 7, 1, ['c'], { payload: json('text') });
    const accepted = makeEvent(1, 7, 2, ['c'], { payload: json(3) });
    const stored = await backend.register([stale, early, rejected, accepted]);
    assert.deepEqual(idsOf(stored ?? []), ['1/7/2']);
    await backend.flush();
    assert.deepEqual(registered.map(idsOf), [['1/5/1'], ['1/7/2']]);
    assert.deepEqual(flushed.map(idsOf), [['1/5/1'], ['1/7/2']]);
    const series = await backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(series.events), ['1/5/1', '1/7/2']);
    assert.equal(warnings.length, 3);
  });

  it('advances the last id for events stored nowhere, also across a restart', async (t) => {
    const h = await lmdbHarness(t, {
      latest: { subscriptions: [['kept']] },
      timeseries: [{ order_by: 'TIMESTAMP', subscriptions: [['kept']] }],
    });
    const first = await h.open();
    const events = [makeEvent(1, 1, 1, ['kept']), makeEvent(1, 2, 1, ['dropped'])];
    assert.deepEqual(await first.backend.register(events), events);
    assert.deepEqual(first.registered, [events]);
    await first.backend.close();
    const second = await h.open();
    assert.deepEqual(await second.backend.getLastEventId(1), {
      server: 1,
      session: 2,
      instance: 1,
    });
    const server = await second.backend.query({ type: 'server', serverId: 1 });
    assert.deepEqual(idsOf(server.events), ['1/1/1']);
  });

  it('keeps the latest store, last ids and partitions across restarts', async (t) => {
    const h = await lmdbHarness(t);
    const first = await h.open();
    await first.backend.register(session(1, 1, [['a'], ['b']]));
    await first.backend.flush();
    await first.backend.register(session(1, 2, [['a']]));
    await first.backend.close();
    const second = await h.open();
    const latest = await second.backend.query({ type: 'latest' });
    assert.deepEqual(idsOf(latest.events).sort(), ['1/1/2', '1/2/1']);
    await second.backend.register(session(1, 3, [['b']]));
    await second.backend.close();
    const third = await h.open();
    assert.deepEqual(idsOf((await third.backend.query({ type: 'latest' })).events).sort(), [
      '1/2/1',
      '1/3/1',
    ]);
    const series = await third.backend.query({ type: 'timeseries', order: 'ascending' });
    assert.deepEqual(idsOf(series.events), ['1/1/1', '1/1/2', '1/2/1', '1/3/1']);
  });

  it('drops replaced latest events from server queries when latest was their only place', async (t) => {
    const h = await lmdbHarness(t, {
      timeseries: [{ order_by: 'TIMESTAMP', subscriptions: [['ts']] }],
    });
    const { backend } = await h.open();
    await backend.register(session(1, 1, [['only'], ['ts']]));
    await backend.flush();
    await backend.register(session(1, 2, [['only'], ['only']]));
    const staged = await backend.query({ type: 'server', serverId: 1 });
    assert.deepEqual(idsOf(staged.events), ['1/1/2', '1/2/2']);
    await backend.flush();
    const persisted = await backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.deepEqual(idsOf(persisted.events), ['1/1/2', '1/2/2']);
    await backend.close();
    const reopened = await h.open();
    const after = await reopened.backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.deepEqual(idsOf(after.events), ['1/1/2', '1/2/2']);
  });

  it('forces a flush once more than max_registered_count events wait', async (t) => {
    const h = await lmdbHarness(t, { flush_period: 3600, max_registered_count: 10 });
    const { backend, flushed } = await h.open();
    for (let s = 1; s <= 4; s++) await backend.register(session(1, s, [['a'], ['b'], ['c']]));
    await waitFor(() => flushed.length > 0);
    assert.deepEqual(idsOf(flushed.flat()).slice(0, 3), ['1/1/1', '1/1/2', '1/1/3']);
  });

  it('starts a flush once flush_count events wait', async (t) => {
    const h = await lmdbHarness(t, { flush_period: 3600, flush_count: 5 });
    const { backend, flushed } = await h.open();
    await backend.register(session(1, 1, [['a'], ['b'], ['c'], ['d']]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(flushed.length, 0, 'four waiting events stay staged');
    await backend.register(session(1, 2, [['e']]));
    await waitFor(() => flushed.length === 2);
    assert.deepEqual(idsOf(flushed.flat()), ['1/1/1', '1/1/2', '1/1/3', '1/1/4', '1/2/1']);
    const persisted = await backend.query({ type: 'server', serverId: 1, persisted: true });
    assert.equal(persisted.events.length, 5);
  });

  it('hides stored events that tightened conditions reject', async (t) => {
    const h = await lmdbHarness(t);
    const first = await h.open();
    await first.backend.register([
      makeEvent(1, 1, 1, ['a'], { payload: json(1) }),
      makeEvent(1, 1, 2, ['b'], { payload: json('x') }),
    ]);
    await first.backend.close();
    const second = await h.open({
      conditions: [{ subscriptions: [['b']], condition: { type: 'json', data_type: 'number' } }],
    });
    assert.deepEqual(idsOf((await second.backend.query({ type: 'latest' })).events), ['1/1/1']);
    const series = await second.backend.query({ type: 'timeseries' });
    assert.deepEqual(idsOf(series.events), ['1/1/1']);
  });

  it('rejects flush, register and getLastEventId after close with ERR_CLOSED', async (t) => {
    const h = await lmdbHarness(t);
    const { backend } = await h.open();
    await backend.close();
    const closed = (e: unknown) => isEventumError(e, 'ERR_CLOSED');
    await assert.rejects(backend.flush(), closed);
    await assert.rejects(backend.getLastEventId(1), closed);
    await assert.rejects(backend.register(session(1, 1, [['a']])), closed);
    await assert.rejects(backend.query({ type: 'latest' }), closed);
  });
});
