import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createNatsBus } from '@eventum/bus-nats';
import { createNotifier } from '@eventum/notify';
import { requireService, testNatsUrl } from '@eventum/testing';

import { call, OpenApiChecker, startHttpServer } from './http-testing.js';
import type { Answer } from './http-testing.js';

let skip: string | false = false;
await requireService('NATS', testNatsUrl, (reason) => (skip = reason));

type Data = {
  session: string;
  data: { subscriptionId: string; pattern: string; notifications: Note[]; dropped: number }[];
};
type Note = { kind: string; origin: string; data: Record<string, unknown> };

const base = '/api/notify/monitor';

describe('HTTP API: the event monitor', { skip }, () => {
  it('subscribes sessions by kind and origin, polls since a time or incrementally, unsubscribes', async (t) => {
    const system = `mon${process.pid}x${Date.now()}`;
    const { base: url } = await startHttpServer(t, [
      `bus: {type: nats, servers: "${testNatsUrl}", publish: {enabled: false}, lifecycle: {system: ${system}}}`,
    ]);
    const api = await OpenApiChecker.load(url);
    const checked = async (method: string, path: string, template: string, body?: unknown) => {
      const answer = await call(url, method, path, body);
      api.check(method, template, answer);
      return answer;
    };
    const subscribe = async (session: string, filter: object): Promise<string> => {
      const path = `${base}/${session}/subscriptions`;
      const answer = await checked('POST', path, `${base}/{session}/subscriptions`, filter);
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      return (answer.body as { subscriptionId: string }).subscriptionId;
    };
    const poll = async (session: string, query = ''): Promise<Data> => {
      const answer = await checked('GET', `${base}/${session}${query}`, `${base}/{session}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body as Data;
    };
    const lifecycle = await subscribe('s1', { kind: 'process-lifecycle', origin: 'svc.>' });
    const other = await subscribe('s1', { origin: 'other' });
    await subscribe('s2', { kind: 1052 });

    const bus = await createNatsBus({ servers: testNatsUrl });
    t.after(() => bus.close());
    const notifier = createNotifier({ bus, system });
    notifier.publish('process-lifecycle', { origin: 'svc.a', state: 'READY', datetime: 10 });
    notifier.publish('logging-info', { origin: 'svc.b', datetime: 20 });
    notifier.publish('logging-info', { origin: 'other', datetime: 30 });
    await bus.flush();

    // `since` polls read what is kept, whatever the cursor: wait until all three arrived.
    const seen = (data: Data) => data.data.map((d) => d.notifications.map((n) => n.origin));
    let all = await poll('s1', '?since=0');
    for (let i = 0; i < 100 && seen(all).flat().length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      all = await poll('s1', '?since=0');
    }
    assert.deepEqual(
      all.data.map((d) => [d.subscriptionId, d.pattern, d.dropped]),
      [
        [lifecycle, `${system}.events.1052.svc.>`, 0],
        [other, `${system}.events.*.other`, 0],
      ],
    );
    assert.deepEqual(seen(all), [['svc.a'], ['other']]);
    assert.equal(all.data[0]?.notifications[0]?.data['state'], 2);
    assert.deepEqual(seen(await poll('s1', '?since=25')), [[], ['other']]);
    const one = await poll('s1', `?subscription=${other}`);
    assert.deepEqual(
      one.data.map((d) => d.subscriptionId),
      [other],
    );

    // Incremental: only what arrived after the previous poll.
    assert.deepEqual(seen(await poll('s1')), [[], []]);
    notifier.publish('process-lifecycle', { origin: 'svc.c', state: 'ACTIVE' });
    await bus.flush();
    let next = await poll('s1');
    for (let i = 0; i < 100 && seen(next).flat().length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await poll('s1');
    }
    assert.deepEqual(seen(next), [['svc.c'], []]);
    assert.deepEqual(seen(await poll('s2', '?since=0')), [['svc.a', 'svc.c']]);

    const removeOne = `${base}/{session}/subscriptions/{id}`;
    const removed = await checked('DELETE', `${base}/s1/subscriptions/${other}`, removeOne);
    assert.deepEqual(removed.body, { session: 's1', removed: 1 });
    const again = await checked('DELETE', `${base}/s1/subscriptions/${other}`, removeOne);
    assert.equal(again.status, 404);
    assert.equal((again.body as { code: string }).code, 'ERR_NOT_FOUND');
    const rest = await checked('DELETE', `${base}/s1`, `${base}/{session}`);
    assert.deepEqual(rest.body, { session: 's1', removed: 1 });
    assert.deepEqual((await poll('s1')).data, []);
  });

  it('refuses an unknown kind, a bad session id or origin; without a bus it answers 404', async (t) => {
    const system = `mon${process.pid}y${Date.now()}`;
    const [withBus, without] = await Promise.all([
      startHttpServer(t, [
        `bus: {type: nats, servers: "${testNatsUrl}", publish: {enabled: false}, lifecycle: {system: ${system}}}`,
      ]),
      startHttpServer(t),
    ]);
    const code = (answer: Answer) => [answer.status, (answer.body as { code?: string }).code];
    const post = (url: string, session: string, body: unknown) =>
      call(url, 'POST', `${base}/${session}/subscriptions`, body);
    assert.deepEqual(code(await post(withBus.base, 's', { kind: 'nope' })), [
      400,
      'ERR_INVALID_ARGUMENT',
    ]);
    assert.deepEqual(code(await post(withBus.base, 's', { origin: 'a b' })), [
      400,
      'ERR_INVALID_ARGUMENT',
    ]);
    assert.deepEqual(code(await post(withBus.base, 'a%20b', {})), [400, 'ERR_INVALID_ARGUMENT']);
    assert.deepEqual(code(await post(withBus.base, 's', { extra: 1 })), [
      400,
      'ERR_INVALID_ARGUMENT',
    ]);
    const absent = await post(without.base, 's', {});
    assert.deepEqual(code(absent), [404, 'ERR_NOT_FOUND']);
    assert.match((absent.body as { detail: string }).detail, /needs a bus/);
  });
});
