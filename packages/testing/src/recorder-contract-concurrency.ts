import assert from 'node:assert/strict';
import { it } from 'node:test';

import { isEventumError } from '@eventum/core';
import type { ApplicationRecorder } from '@eventum/core';

import { storedEvent, withRecorders } from './recorder-contract.js';
import type { OpenRecorders } from './recorder-contract.js';

/** How long a tailing reader keeps reading after the writers are done (other transactions in
 * the cluster may hold the visibility fence back for a while). */
const DRAIN_MS = 30_000;
const WRITERS = 8;
const BATCHES = 20;
const BATCH_SIZE = 5;

/** Concurrent writers: ids unique and ascending per insert, batches not interleaved, a tailing
 * reader never sees a gap filled later, exactly one of racing writers of a version wins. */
export function recorderConcurrencyTests(open: OpenRecorders): void {
  it('gives concurrent writers unique ids without interleaving their batches', () =>
    withRecorders(open, async ({ events }) => {
      const batches = await runWriters(events);
      const log = await readAll(events);
      assert.equal(log.length, WRITERS * BATCHES * BATCH_SIZE);
      const position = new Map(log.map((id, i) => [id, i]));
      for (const batch of batches) {
        const at = batch.map((id) => position.get(id)!);
        assert.deepEqual(
          at,
          at.map((_, i) => at[0]! + i),
          'a batch occupies consecutive log places',
        );
      }
    }));

  it('never shows a tailing reader a lower id that commits later', () =>
    withRecorders(open, async ({ events }) => {
      const seen: number[] = [];
      let writing = true;
      let doneAt = Infinity;
      const drainUntil = (): number => doneAt + DRAIN_MS;
      const reader = (async () => {
        while (
          writing ||
          (seen.length < WRITERS * BATCHES * BATCH_SIZE && Date.now() < drainUntil())
        ) {
          const next = await events.selectNotifications({
            start: (seen.at(-1) ?? 0) + 1,
            limit: 37,
          });
          seen.push(...next.map((n) => n.id));
          if (next.length === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await runWriters(events).finally(() => {
        writing = false;
        doneAt = Date.now();
      });
      await reader;
      assert.deepEqual(seen, await readAll(events), 'the tail saw every id, in the final order');
    }));

  it('lets exactly one of racing writers of the same version win', () =>
    withRecorders(open, async ({ events }) => {
      await events.insertEvents([storedEvent('race', 1)]);
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, () => events.insertEvents([storedEvent('race', 2)])),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) {
        if (r.status === 'rejected')
          assert.ok(isEventumError(r.reason, 'ERR_CONFLICT'), String(r.reason));
      }
      assert.equal((await events.selectEvents('race')).length, 2);
    }));
}

async function runWriters(events: ApplicationRecorder): Promise<number[][]> {
  const batches: number[][] = [];
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let b = 0; b < BATCHES; b++) {
        const batch = Array.from({ length: BATCH_SIZE }, (_, i) =>
          storedEvent(`w${w}`, b * BATCH_SIZE + i + 1),
        );
        batches.push(await events.insertEvents(batch));
      }
    }),
  );
  return batches;
}

async function readAll(events: ApplicationRecorder): Promise<number[]> {
  const out: number[] = [];
  for (;;) {
    const page = await events.selectNotifications({ start: (out.at(-1) ?? 0) + 1, limit: 100 });
    if (page.length === 0) return out;
    out.push(...page.map((n) => n.id));
  }
}
