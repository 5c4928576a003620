import type { TestContext } from 'node:test';

import type { Backend, Event } from '@eventum/core';
import { dropSchema, recordingLogger, testPgUrl, uniqueSchema } from '@eventum/testing';
import type { LogLine } from '@eventum/testing';

import type { PostgresBackendConfig } from '../config.js';
import { createPostgresBackend } from '../plugin.js';

/** A backend opened by {@link pgHarness}, with its callbacks recorded. */
export interface OpenedBackend {
  readonly backend: Backend;
  readonly registered: Event[][];
  readonly flushed: Event[][];
  readonly lines: LogLine[];
}

/** A fresh schema and a way to open backends on it; everything closes after the test. */
export interface PgHarness {
  readonly schema: string;
  open(config?: Partial<PostgresBackendConfig>): Promise<OpenedBackend>;
}

/** Creates a schema name for `t`; backends opened through it close, and it is dropped, in
 * `t.after`. */
export function pgHarness(t: TestContext, base: Partial<PostgresBackendConfig> = {}): PgHarness {
  const schema = uniqueSchema();
  const opened: Backend[] = [];
  t.after(async () => {
    for (const backend of opened) await backend.close();
    await dropSchema(schema);
  });
  return {
    schema,
    async open(config = {}) {
      const registered: Event[][] = [];
      const flushed: Event[][] = [];
      const { logger, lines } = recordingLogger();
      const backend = await createPostgresBackend(
        { url: testPgUrl, schema, flush_period: 0.02, ...base, ...config },
        {
          logger,
          onRegistered: (events) => registered.push([...events]),
          onFlushed: (events) => flushed.push([...events]),
        },
      );
      opened.push(backend);
      return { backend, registered, flushed, lines };
    },
  };
}

/** `server/session/instance` of each event. */
export const idsOf = (events: readonly Event[]): string[] =>
  events.map((e) => `${e.id.server}/${e.id.session}/${e.id.instance}`);
