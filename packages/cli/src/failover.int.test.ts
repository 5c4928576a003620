import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import type { TestContext } from 'node:test';

import { connect, queryServerPages } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import { compareTimestamps } from '@eventum/core';
import type { EventId } from '@eventum/core';
import {
  freePort,
  requireService,
  tempDir,
  testPgUrl,
  waitFor,
  withClient,
} from '@eventum/testing';

import { startServerProcess } from './testing.js';
import type { ServerProcess } from './testing.js';

// Hat-style redundancy (docs/operations/scale-out.md): two servers, each on its own LMDB file,
// sync each other's persisted events; a PostgreSQL advisory lock picks the active one. The
// active is killed under load; the standby takes over only once it holds everything the active
// notified as persisted.

const idText = (id: EventId): string => `${id.server}/${id.session}/${id.instance}`;
const operational = (log: readonly string[]): boolean =>
  log.some((line) => line.includes('"status":"operational"'));

const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('fail-over', (t) => t.skip(reason));
});

/** Registers batches of 5 until the connection fails; returns how many were answered. */
async function registerUntilClosed(client: EventerClient, name: string): Promise<number> {
  let answered = 0;
  for (let seq = 0; ; seq++) {
    const events = Array.from({ length: 5 }, (_, i) => ({
      type: ['load', name],
      payload: { type: 'json' as const, data: seq * 5 + i },
    }));
    try {
      if ((await client.register(events, { withResponse: true })) !== null) answered++;
    } catch {
      return answered;
    }
  }
}

/** Writes the configurations of servers 1 and 2, peers of each other, competing for the lease
 * `key`; returns the path of server `id`'s file. */
async function pairConfig(dir: string, key: string): Promise<(id: 1 | 2) => Promise<string>> {
  const ports = [await freePort(), await freePort()] as const;
  return async (id) => {
    const path = join(dir, `server-${id}.json`);
    const peer = { server_id: 3 - id, host: '127.0.0.1', port: ports[2 - id] };
    await writeFile(
      path,
      JSON.stringify({
        name: `server-${id}`,
        server_id: id,
        eventer_server: { host: '127.0.0.1', port: ports[id - 1] },
        // Fixed eventer ports would mean the default HTTP port for both.
        http_server: { enabled: false },
        backend: { type: 'lmdb', db_path: join(dir, `${id}.db`), flush_period: 0.05 },
        redundancy: {
          peers: [peer],
          lease: { type: 'postgres', url: testPgUrl, key, check_period: 0.1 },
          reconnect_delay: 0.2,
        },
      }),
    );
    return path;
  };
}

/** Starts server 1, waits until it is active, then server 2, until it caught up with 1. */
async function startPair(
  t: TestContext,
  dir: string,
  key: string,
): Promise<[ServerProcess, ServerProcess]> {
  const conf = await pairConfig(dir, key);
  const a = await startServerProcess(['--conf', await conf(1)]);
  t.after(() => a.stop('SIGKILL'));
  await waitFor(() => operational(a.log), { timeoutMs: 20_000 });
  const b = await startServerProcess(['--conf', await conf(2)]);
  t.after(() => b.stop());
  await waitFor(() => b.log.some((l) => l.includes('synced with peer')), { timeoutMs: 20_000 });
  return [a, b];
}

if (available) {
  it('SIGKILL of the active under load: the standby takes over with every persisted event', async (t) => {
    const dir = await tempDir('eventum-failover-');
    t.after(() => dir.remove());
    const key = `eventum-test-${randomBytes(4).toString('hex')}`;
    const [a, b] = await startPair(t, dir.path, key);

    const persisted = new Set<string>();
    const watcher = await connect({
      port: a.port,
      clientName: 'watcher',
      subscriptions: [['load', '*']],
      persisted: true,
      onEvents: (events) => events.forEach((e) => persisted.add(idText(e.id))),
    });
    const clients = await Promise.all(
      [0, 1, 2].map((c) => connect({ port: a.port, clientName: `load-${c}` })),
    );
    t.after(() => Promise.all([watcher, ...clients].map((c) => c.close())));
    const loops = clients.map((client, c) => registerUntilClosed(client, String(c)));
    await waitFor(() => persisted.size >= 300, { timeoutMs: 30_000 });
    assert.equal(operational(b.log), false, 'the standby ran its engine while the active ran');
    await a.stop('SIGKILL');
    const notified = new Set(persisted);
    await Promise.all(loops);

    await waitFor(() => operational(b.log), { timeoutMs: 30_000 });
    const reader = await connect({ port: b.port, clientName: 'reader' });
    t.after(() => reader.close());
    const held = new Set<string>();
    for await (const page of queryServerPages(reader, { type: 'server', serverId: 1 })) {
      for (const event of page) held.add(idText(event.id));
    }
    assert.deepEqual(
      [...notified].filter((id) => !held.has(id)),
      [],
      'persisted-notified events of the old active missing on the new one',
    );
    const answer = await reader.register([{ type: ['load', 'after'] }], { withResponse: true });
    assert.equal(answer?.[0]?.id.server, 2, 'the new active registers');
    // Hat's synced state, registered by B's syncer on A, came back to B with A's events.
    const synced = await reader.query({
      type: 'latest',
      eventTypes: [['event', '2', 'synced', '1']],
    });
    const payload = synced.events[0]?.payload;
    assert.ok(payload?.type === 'json', 'a synced-state event of server 2 about server 1');
    assert.equal((payload.data as { state?: unknown }).state, 'SYNCED');
  });

  it('an active that loses its lease stops; the peer starts only after its STANDBY', async (t) => {
    const dir = await tempDir('eventum-failover-');
    t.after(() => dir.remove());
    const key = `eventum-test-${randomBytes(4).toString('hex')}`;
    const [a, b] = await startPair(t, dir.path, key);
    // The coordinator ends A's lease session, as a network failure between them would.
    await withClient((c) =>
      c.query(
        `SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a
          WHERE a.application_name = $1 AND EXISTS (SELECT 1 FROM pg_locks l
            WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)`,
        [`eventum-lease:${key}`],
      ),
    );
    await waitFor(() => operational(b.log), { timeoutMs: 30_000 });
    assert.ok(
      a.log.some((l) => l.includes('"status":"standby"')),
      'A stopped its engine',
    );
    const reader = await connect({ port: b.port, clientName: 'reader' });
    t.after(() => reader.close());
    const engines = await reader.query({ type: 'latest', eventTypes: [['event', '?', 'engine']] });
    const byServer = new Map(engines.events.map((e) => [e.type[1], e]));
    const stopped = byServer.get('1');
    const started = byServer.get('2');
    assert.deepEqual(stopped?.payload, { type: 'json', data: 'STOPPED' });
    assert.deepEqual(started?.payload, { type: 'json', data: 'STARTED' });
    // B held A's last session (STOPPED, stored before A's STANDBY) before its own engine began.
    assert.ok(compareTimestamps(started.timestamp, stopped.timestamp) > 0);
  });
}
