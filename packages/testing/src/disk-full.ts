import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { Backend, BackendContext, Event } from '@eventum/core';

import { json, makeEvent } from './events.js';
import { sizedFilesystem } from './filesystem.js';
import { recordingLogger } from './logger.js';

const MiB = 1024 * 1024;
/** 50 KB of JSON per event: a 2 MiB filesystem fills after a few dozen. */
const payload = json('x'.repeat(50_000));
const eventOf = (session: number): Event =>
  makeEvent(1, session, 1, ['fill', String(session)], { payload });

/** Opens a file-based backend keeping its data under the directory `dir`. */
export type OpenInDirectory = (dir: string, context: Partial<BackendContext>) => Promise<Backend>;

async function registeredAndFlushed(backend: Backend, event: Event): Promise<boolean> {
  const stored = await backend.register([event]);
  if (stored === null) return false;
  await backend.flush();
  return true;
}

/**
 * The full-disk contract of a file-based backend, on a 2 MiB tmpfs the test mounts (skipped
 * with the reason where it cannot): the flush that does not fit rejects with `ERR_BACKEND`;
 * meanwhile registrations resolve `null`, the backend stays open and answers queries with what
 * it accepted; once space returns, the next flush writes it all and registrations work again;
 * reopened, every accepted event is there, intact, and the refused one is not.
 */
export async function assertDiskFullRecovery(t: TestContext, open: OpenInDirectory): Promise<void> {
  const fs = await sizedFilesystem(2 * MiB);
  if (typeof fs === 'string') return void t.skip(fs);
  t.after(() => fs.remove());
  const { logger, lines } = recordingLogger();
  const backend = await open(fs.path, { logger });
  t.after(() => backend.close());

  let session = 0;
  let failure: unknown = null;
  while (failure === null && session < 200) {
    await registeredAndFlushed(backend, eventOf(++session)).catch((e: unknown) => (failure = e));
  }
  assert.ok(isEventumError(failure, 'ERR_BACKEND'), String(failure));
  const accepted = session;
  assert.ok(accepted > 5, `the disk held ${accepted - 1} events first`);
  assert.ok(lines.some((l) => l.level === 'error' && l.message.startsWith('storage failing')));

  assert.equal(await backend.register([eventOf(++session)]), null);
  assert.equal(backend.isClosed, false);
  const latest = await backend.query({ type: 'latest' });
  assert.equal(latest.events.length, accepted);

  await fs.resize(8 * MiB);
  await backend.flush();
  assert.ok(lines.some((l) => l.message.startsWith('storage recovered')));
  assert.equal(await registeredAndFlushed(backend, eventOf(++session)), true);
  await backend.close();

  const reopened = await open(fs.path, {});
  t.after(() => reopened.close());
  const page = await reopened.query({ type: 'timeseries', maxResults: 1000 });
  const sessions = page.events.map((e) => e.id.session).sort((a, b) => a - b);
  assert.deepEqual(sessions, [...Array.from({ length: accepted }, (_, i) => i + 1), session]);
  assert.ok(page.events.every((e) => JSON.stringify(e.payload) === JSON.stringify(payload)));
  assert.deepEqual(await reopened.getLastEventId(1), { server: 1, session, instance: 1 });
}
