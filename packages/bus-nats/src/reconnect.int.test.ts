import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hasNatsServer, startNatsServer, takeEvents, waitFor } from '@eventum/testing';

import { createNatsBus } from './nats-bus.js';
import type { NatsBusStatus } from './options.js';

let skip: string | false = false;
if (!(await hasNatsServer())) {
  if (process.env['CI'] === 'true')
    throw new Error('nats-server is not installed (required under CI=true)');
  skip = 'nats-server is not installed';
}

describe('NATS reconnect (private nats-server)', { skip }, () => {
  it('reconnects after the server restarts, re-subscribes and reports the status changes', async (t) => {
    const server = await startNatsServer();
    t.after(() => server.dispose());
    const statuses: NatsBusStatus[] = [];
    const bus = await createNatsBus({
      servers: server.url,
      reconnectTimeWaitMs: 100,
      reconnectJitterMs: 50,
      onStatus: (s) => statuses.push(s),
    });
    t.after(() => bus.close());
    const sub = bus.subscribe('restart.>');
    await sub.ready;
    bus.publish('restart.before', { n: 1 });
    assert.deepEqual(
      (await takeEvents(sub, 1)).map((e) => e.payload['n']),
      [1],
    );

    await server.stop();
    await waitFor(() => statuses.some((s) => s.type === 'disconnect'));
    await server.start();
    await waitFor(() => statuses.some((s) => s.type === 'reconnect'), { timeoutMs: 20_000 });
    await bus.flush();
    bus.publish('restart.after', { n: 2 });
    assert.deepEqual(
      (await takeEvents(sub, 1)).map((e) => e.payload['n']),
      [2],
    );
    assert.equal(bus.isClosed, false);
  });

  it('with waitOnFirstConnect, starts before the server is up', async (t) => {
    const server = await startNatsServer();
    t.after(() => server.dispose());
    await server.stop();
    const connecting = createNatsBus({
      servers: server.url,
      waitOnFirstConnect: true,
      reconnectTimeWaitMs: 100,
    });
    await server.start();
    const bus = await connecting;
    t.after(() => bus.close());
    const sub = bus.subscribe('late.x');
    await sub.ready;
    bus.publish('late.x', { ok: true });
    assert.equal((await takeEvents(sub, 1))[0]?.payload['ok'], true);
  });

  it('closes itself with ERR_BUS when reconnect attempts run out', async (t) => {
    const server = await startNatsServer();
    t.after(() => server.dispose());
    const bus = await createNatsBus({
      servers: server.url,
      maxReconnectAttempts: 1,
      reconnectTimeWaitMs: 50,
    });
    const sub = bus.subscribe('gone.x');
    await sub.ready;
    const read = sub[Symbol.asyncIterator]().next();
    await server.stop();
    const reason = await bus.closed;
    assert.equal((reason as { code?: string } | undefined)?.code, 'ERR_BUS');
    assert.equal((await read).done, true);
    bus.publish('gone.x', {});
  });
});
