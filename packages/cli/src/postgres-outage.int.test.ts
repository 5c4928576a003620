import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';

import { connect, queryServerPages } from '@eventum/client';
import type { EventerClient } from '@eventum/client';
import type { EventId } from '@eventum/core';
import {
  dropSchema,
  postgresBinDir,
  requireService,
  startPrivatePostgres,
  tempDir,
  testPgUrl,
  uniqueSchema,
  waitFor,
} from '@eventum/testing';

import { crashUnderLoad } from './crash-load.js';
import { startServerProcess } from './testing.js';

// PostgreSQL stopped under load and started again (docs/backends/postgres.md, "Outages"): a
// private cluster on a port of its own, so the shared one is untouched.

const idText = (id: EventId): string => `${id.server}/${id.session}/${id.instance}`;

/** What the loaders saw. */
interface Load {
  readonly acknowledged: Set<string>;
  failures: number;
  stop: boolean;
}

/** Registers one event at a time until `load.stop`, counting answers and failures. */
async function registerLoop(client: EventerClient, name: string, load: Load): Promise<void> {
  for (let seq = 0; !load.stop; seq++) {
    const event = { type: ['load', name], payload: { type: 'json' as const, data: seq } };
    const answer = await client.register([event], { withResponse: true });
    if (answer === null) {
      load.failures++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    } else {
      for (const e of answer) load.acknowledged.add(idText(e.id));
    }
  }
}

const binaries = await postgresBinDir();

it('PostgreSQL stopped under load: registrations fail, the server reconnects, nothing persisted is lost', async (t) => {
  if (binaries === null) {
    if (process.env['CI'] === 'true') throw new Error('no PostgreSQL server programs under CI');
    return t.skip('no PostgreSQL server programs (initdb, pg_ctl)');
  }
  const pg = await startPrivatePostgres();
  t.after(() => pg.dispose());
  const dir = await tempDir('eventum-outage-');
  t.after(() => dir.remove());
  const conf = join(dir.path, 'server.json');
  const backend = { type: 'postgres', url: pg.url, flush_period: 0.05, connect_timeout: 2 };
  await writeFile(
    conf,
    JSON.stringify({ server_id: 1, eventer_server: { host: '127.0.0.1', port: 0 }, backend }),
  );
  const server = await startServerProcess(['--conf', conf]);
  t.after(() => server.stop('SIGKILL'));
  const persisted = new Set<string>();
  const subscriber = await connect({
    port: server.port,
    clientName: 'persisted',
    subscriptions: [['load', '*']],
    persisted: true,
    onEvents: (events) => events.forEach((e) => persisted.add(idText(e.id))),
  });
  const clients = await Promise.all(
    [0, 1, 2].map((c) => connect({ port: server.port, clientName: `load-${c}` })),
  );
  t.after(() => Promise.all([subscriber, ...clients].map((c) => c.close())));
  const load: Load = { acknowledged: new Set(), failures: 0, stop: false };
  const loops = clients.map((client, c) => registerLoop(client, String(c), load));

  await waitFor(() => persisted.size >= 100, { timeoutMs: 20_000 });
  await pg.stop();
  await waitFor(() => load.failures >= 10, { timeoutMs: 20_000 });
  const beforeRestart = load.acknowledged.size;
  await pg.start();
  // No restart of eventum: it reconnects by itself and accepts registrations again.
  await waitFor(() => load.acknowledged.size >= beforeRestart + 100, { timeoutMs: 30_000 });
  load.stop = true;
  await Promise.all(loops);
  await waitFor(() => [...load.acknowledged].every((id) => persisted.has(id)), {
    timeoutMs: 20_000,
  });

  const stored = new Set<string>();
  const reader = clients[0]!;
  for await (const page of queryServerPages(reader, {
    type: 'server',
    serverId: 1,
    persisted: true,
  })) {
    for (const event of page) stored.add(idText(event.id));
  }
  const lost = [...persisted].filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], 'persisted-notified events missing after the outage');
  // The server kept what it had acknowledged before the outage and wrote it once it could.
  assert.deepEqual(
    [...load.acknowledged].filter((id) => !stored.has(id)),
    [],
  );
  assert.equal(server.child.exitCode, null, 'the server kept running');
  assert.ok(server.log.some((line) => line.includes('storage failing')));
  assert.ok(server.log.some((line) => line.includes('storage recovered')));
});

const shared = await requireService('PostgreSQL', testPgUrl, (reason) => {
  it('SIGKILL of eventum on PostgreSQL', (t) => t.skip(reason));
});

if (shared) {
  for (const durability of ['buffered', 'committed'] as const) {
    it(`SIGKILL of eventum on PostgreSQL (${durability}): nothing persisted-notified lost, no id reused`, async (t) => {
      const schema = uniqueSchema();
      const dir = await tempDir('eventum-pg-crash-');
      t.after(async () => {
        await dir.remove();
        await dropSchema(schema);
      });
      const backend = { type: 'postgres', url: testPgUrl, schema, flush_period: 0.2, durability };
      const result = await crashUnderLoad({
        dir: dir.path,
        backend,
        clients: 4,
        batchSize: 5,
        loadMs: 700,
        afterRestart: 20,
      });
      assert.ok(result.acknowledged > 0, 'the load registered nothing');
      assert.equal(result.lostPersisted, 0);
      assert.equal(result.reusedIds, 0);
      if (durability === 'committed') assert.equal(result.lostAcknowledged, 0);
    });
  }
}
