import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';

import { connect, queryPages, queryServerPages } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { Event, QueryParams } from '@eventum/core';
import {
  dropSchema,
  requireService,
  tempDir,
  testPgUrl,
  uniqueSchema,
  waitFor,
} from '@eventum/testing';

import { startServerProcess } from './testing.js';
import type { ServerProcess } from './testing.js';

// Three `eventum server` processes (server ids 1, 2, 3) on one PostgreSQL schema
// (docs/operations/scale-out.md): each stores its own events, sees the others' in its queries,
// and notifies its subscribers of them.

const idText = (e: Event): string => `${e.id.server}/${e.id.session}/${e.id.instance}`;

const available = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('three servers on one database', (t) => t.skip(reason));
});

async function startServers(dir: string, schema: string): Promise<ServerProcess[]> {
  const backend = { type: 'postgres', url: testPgUrl, schema, flush_period: 0.05 };
  return Promise.all(
    [1, 2, 3].map(async (id) => {
      const conf = join(dir, `server-${id}.json`);
      const eventer_server = { host: '127.0.0.1', port: 0 };
      await writeFile(conf, JSON.stringify({ server_id: id, eventer_server, backend }));
      return startServerProcess(['--conf', conf]);
    }),
  );
}

/** Every event a query answers, paging on. */
async function answer(client: EventerClient, params: QueryParams): Promise<string[]> {
  const ids: string[] = [];
  if (params.type === 'server') {
    for await (const page of queryServerPages(client, params)) ids.push(...page.map(idText));
  } else if (params.type === 'timeseries') {
    for await (const page of queryPages(client, params)) ids.push(...page.map(idText));
  } else {
    ids.push(...(await client.query(params)).events.map(idText).sort());
  }
  return ids;
}

if (available) {
  it('three servers on one database: notified of each other’s events, queries agree', async (t) => {
    const schema = uniqueSchema();
    const dir = await tempDir('eventum-scale-out-');
    t.after(async () => {
      await dir.remove();
      await dropSchema(schema);
    });
    const servers = await startServers(dir.path, schema);
    t.after(() => Promise.all(servers.map((s) => s.stop())));
    // Registrations succeed once each engine is operational.
    await waitFor(() => servers.every((s) => s.log.some((l) => l.includes('"operational"'))));
    const seen = { registered: [] as Event[], persisted: [] as Event[] };
    const subscribe = (port: number, persisted: boolean) =>
      connect({
        port,
        clientName: `watch-${persisted}`,
        subscriptions: [['scale', '*']],
        persisted,
        onEvents: (events) => {
          seen[persisted ? 'persisted' : 'registered'].push(...events);
        },
      });
    const [a, b, c] = servers.map((s) => s.port) as [number, number, number];
    const watchers = [await subscribe(a, false), await subscribe(a, true)];
    const clients = await Promise.all(
      [a, b, c].map((port, i) => connect({ port, clientName: `client-${i + 1}` })),
    );
    t.after(() => Promise.all([...watchers, ...clients].map((x) => x.close())));

    // A subscriber on A sees what C registers, both as registered and as persisted.
    const [fromC] = (await clients[2]!.register(
      [{ type: ['scale', 'c'], payload: { type: 'json', data: 'from C' } }],
      { withResponse: true },
    ))!;
    assert.equal(fromC!.id.server, 3);
    await waitFor(() => seen.persisted.some((e) => idText(e) === idText(fromC!)));
    await waitFor(() => seen.registered.some((e) => idText(e) === idText(fromC!)));
    const notified = seen.persisted.find((e) => idText(e) === idText(fromC!))!;
    assert.deepEqual(notified.payload, { type: 'json', data: 'from C' });

    // Load spread over the three servers, no stickiness: every server answers the same.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        clients.map((client, i) =>
          client.register([{ type: ['scale', String(i + 1), String(round % 3)], payload: null }], {
            withResponse: true,
          }),
        ),
      );
    }
    const queries: QueryParams[] = [
      { type: 'latest', eventTypes: [['scale', '*']] },
      { type: 'timeseries', eventTypes: [['scale', '*']], order: 'ascending', maxResults: 7 },
      ...[1, 2, 3].map((serverId) => ({ type: 'server' as const, serverId, persisted: true })),
    ];
    // A server sees its own events at once, the others' once they are stored: when every
    // server sees all 31, every event is stored.
    await waitFor(async () => {
      const counts = await Promise.all(
        clients.map(async (x) => (await answer(x, queries[1]!)).length),
      );
      return counts.every((n) => n === 31);
    });
    for (const params of queries) {
      const answers = await Promise.all(clients.map((client) => answer(client, params)));
      assert.ok(answers[0]!.length > 0, params.type);
      assert.deepEqual(answers[1], answers[0], `server 2 vs 1: ${JSON.stringify(params)}`);
      assert.deepEqual(answers[2], answers[0], `server 3 vs 1: ${JSON.stringify(params)}`);
    }
    // A's subscribers saw every one of the 31 events once, whichever server stored it.
    await waitFor(() => new Set(seen.persisted.map(idText)).size === 31);
    assert.equal(seen.persisted.length, 31);
  });
}
