import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { Backend, Event } from '@eventum/core';
import { json, makeEvent, recordingLogger, sizedFilesystem } from '@eventum/testing';

import { createLmdbBackend } from './plugin.js';

const MiB = 1024 * 1024;
/** 50 KB of JSON per event: a 2 MiB filesystem fills after a few dozen. */
const payload = json('x'.repeat(50_000));
const eventOf = (session: number): Event =>
  makeEvent(1, session, 1, ['fill', String(session)], { payload });

async function registeredAndFlushed(backend: Backend, event: Event): Promise<boolean> {
  const stored = await backend.register([event]);
  if (stored === null) return false;
  await backend.flush();
  return true;
}

describe('LMDB backend on a full disk', () => {
  it('refuses registrations cleanly, keeps what it accepted, and recovers when space returns', async (t) => {
    const fs = await sizedFilesystem(2 * MiB);
    if (typeof fs === 'string') return void t.skip(fs);
    t.after(() => fs.remove());
    const dbPath = join(fs.path, 'events.db');
    const { logger, lines } = recordingLogger();
    const backend = await createLmdbBackend({ db_path: dbPath, flush_period: 0.05 }, { logger });
    t.after(() => backend.close());

    // Fill the disk: the flush that does not fit rejects with ERR_BACKEND.
    let session = 0;
    let failure: unknown = null;
    while (failure === null && session < 200) {
      await registeredAndFlushed(backend, eventOf(++session)).catch((e: unknown) => (failure = e));
    }
    assert.ok(isEventumError(failure, 'ERR_BACKEND'), String(failure));
    const accepted = session;
    assert.ok(accepted > 5, `the disk held ${accepted - 1} events first`);
    assert.ok(lines.some((l) => l.level === 'error' && l.message.startsWith('storage failing')));

    // Failing storage: registrations are a failure value; the backend stays open and answers
    // queries, the unwritten event included.
    assert.equal(await backend.register([eventOf(++session)]), null);
    assert.equal(backend.isClosed, false);
    const latest = await backend.query({ type: 'latest' });
    assert.equal(latest.events.length, accepted);

    // Space returns: the next flush writes the waiting event and registration works again.
    await fs.resize(8 * MiB);
    await backend.flush();
    assert.ok(lines.some((l) => l.message.startsWith('storage recovered')));
    const next = eventOf(++session);
    assert.equal(await registeredAndFlushed(backend, next), true);
    await backend.close();

    // Reopened: every accepted event is there, intact; the refused one is not.
    const reopened = await createLmdbBackend({ db_path: dbPath });
    t.after(() => reopened.close());
    const page = await reopened.query({ type: 'timeseries', maxResults: 1000 });
    const sessions = page.events.map((e) => e.id.session);
    assert.deepEqual(
      sessions.sort((a, b) => a - b),
      [...Array.from({ length: accepted }, (_, i) => i + 1), session],
    );
    assert.ok(page.events.every((e) => JSON.stringify(e.payload) === JSON.stringify(payload)));
    assert.deepEqual(await reopened.getLastEventId(1), { server: 1, session, instance: 1 });
  });
});
