import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { EventerMsgType, encodeEventerMsg } from '@eventum/core';
import type { QueryParams } from '@eventum/core';
import { jsonText, makeEvent, tempDir } from '@eventum/testing';

import { createLmdbBackend } from './plugin.js';

// Issue 12, defect 1: a payload nested 8,000 levels deep, stored before registration limited
// the depth (it came as text from a raw client, so the backend stored that text). JSON.stringify
// cannot write it again, so every answer must send the stored bytes.
describe('LMDB: a payload too deep to encode again', () => {
  it('is answered by latest, timeseries and server queries, before and after a restart', async (t) => {
    const dir = await tempDir('eventum-lmdb-');
    t.after(() => dir.remove());
    const config = { db_path: join(dir.path, 'events.db') };
    const text = `${'['.repeat(8000)}"x"${']'.repeat(8000)}`;
    const deep = makeEvent(1, 1, 1, ['deep'], { payload: jsonText(text) });
    let backend = await createLmdbBackend(config, {});
    try {
      await backend.register([deep, makeEvent(1, 1, 2, ['flat'])]);
      for (const phase of ['staged', 'flushed', 'reopened']) {
        if (phase === 'flushed') await backend.flush();
        if (phase === 'reopened') {
          await backend.close();
          backend = await createLmdbBackend(config, {});
        }
        for (const params of queries) {
          const result = await backend.query(params);
          const body = encodeEventerMsg({ type: EventerMsgType.QueryRes, data: result });
          const at = Buffer.from(body).indexOf(text);
          assert.ok(at > 0, `${phase} ${params.type}: the stored text is sent as it is`);
        }
      }
    } finally {
      await backend.close();
    }
  });
});

const queries: QueryParams[] = [
  { type: 'latest' },
  { type: 'latest', eventTypes: [['deep']] },
  { type: 'timeseries' },
  { type: 'server', serverId: 1 },
];
