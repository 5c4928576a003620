import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HttpApiError, HttpClient, queryAll } from '@eventum/client';
import type { WebSocketFactory } from '@eventum/client';
import type { Event } from '@eventum/core';
import { WebSocket } from 'ws';

import { startHttpServer } from './http-testing.js';

// Node 20 has no global WebSocket: the client takes one built on `ws`.
const webSocket: WebSocketFactory = (url, headers) => new WebSocket(url, { headers });

describe('HttpClient', () => {
  it('registers, pages with queryAll and follows live events against a server process', async (t) => {
    const { base } = await startHttpServer(t, ['http_server: {tokens: [t0k]}']);
    const client = new HttpClient({ url: base, token: 't0k', webSocket });
    const live: Event[] = [];
    const subscription = await client.subscribe([['c', '*']], (events) => live.push(...events));
    t.after(() => subscription.close());

    const registered = await client.register(
      [
        { type: ['c', 'json'], payload: { type: 'json', data: { value: 2 } } },
        {
          type: ['c', 'bin'],
          payload: { type: 'binary', binaryType: 'raw', data: new Uint8Array([0, 255, 7]) },
        },
        { type: ['d', 'x'], sourceTimestamp: { s: 5, us: 6 } },
      ],
      { wait: 'persisted' },
    );
    assert.equal(registered.length, 3);
    const binary = registered[1]!.payload;
    assert.ok(binary?.type === 'binary');
    assert.deepEqual([...binary.data], [0, 255, 7]);
    assert.deepEqual(registered[2]!.sourceTimestamp, { s: 5, us: 6 });

    for (let i = 0; i < 7; i++) await client.register([{ type: ['page', String(i)] }]);
    const all = await queryAll(client, {
      type: 'timeseries',
      eventTypes: [['page', '*']],
      order: 'ascending',
      maxResults: 3,
    });
    assert.deepEqual(
      all.events.map((e) => e.type[1]),
      ['0', '1', '2', '3', '4', '5', '6'],
    );

    while (live.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(
      live.map((e) => e.type.join('/')),
      ['c/json', 'c/bin'],
    );

    const wrong = new HttpClient({ url: base, token: 'nope', webSocket });
    await assert.rejects(wrong.status(), (error: unknown) => {
      assert.ok(error instanceof HttpApiError);
      assert.equal(error.code, 'ERR_REFUSED');
      assert.equal(error.status, 401);
      return true;
    });
  });
});
