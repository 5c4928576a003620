/*
 * Child process of `crash.int.test.ts`: registers sessions of ten events in a loop on the
 * directory given as argument, and prints `flushed <server>/<session>/<instance>` for the last
 * event of every batch `onFlushed` reports. It never stops by itself: the test kills it.
 */
import { createTextlogBackend } from '../plugin.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer <directory>');

const backend = await createTextlogBackend(
  { path, flush_period: 0.02, span: 5 },
  {
    onFlushed: (events) => {
      const last = events[events.length - 1];
      if (last !== undefined) {
        process.stdout.write(`flushed ${last.id.server}/${last.id.session}/${last.id.instance}\n`);
      }
    },
  },
);
const start = (await backend.getLastEventId(1)).session;
for (let session = start + 1; ; session++) {
  const timestamp = { s: 1_700_000_000 + session, us: 0 };
  const events = Array.from({ length: 10 }, (_, i) => ({
    id: { server: 1, session, instance: i + 1 },
    type: ['crash', String(i)],
    timestamp,
    sourceTimestamp: null,
    payload: { type: 'json' as const, data: { session, i } },
  }));
  await backend.register(events);
  await new Promise((resolve) => setTimeout(resolve, 1));
}
