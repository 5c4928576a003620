import { join } from 'node:path';
import type { TestContext } from 'node:test';

import type { Backend, Event, Logger } from '@eventum/core';
import { tempDir } from '@eventum/testing';

import type { LmdbBackendConfig } from '../config.js';
import { createLmdbBackend } from '../plugin.js';

/** A backend opened by {@link lmdbHarness}, with its callbacks recorded. */
export interface OpenedBackend {
  readonly backend: Backend;
  readonly registered: Event[][];
  readonly flushed: Event[][];
  readonly warnings: string[];
}

/** A temporary LMDB file and a way to open backends on it; everything closes after the test. */
export interface LmdbHarness {
  readonly dir: string;
  readonly dbPath: string;
  open(config?: LmdbBackendConfig): Promise<OpenedBackend>;
}

/** Creates a temporary directory for `t`; backends opened through it close in `t.after`. */
export async function lmdbHarness(
  t: TestContext,
  base: LmdbBackendConfig = {},
): Promise<LmdbHarness> {
  const dir = await tempDir('eventum-lmdb-');
  const dbPath = join(dir.path, 'events.db');
  const opened: Backend[] = [];
  t.after(async () => {
    for (const backend of opened) await backend.close();
    await dir.remove();
  });
  return {
    dir: dir.path,
    dbPath,
    async open(config = {}) {
      const registered: Event[][] = [];
      const flushed: Event[][] = [];
      const warnings: string[] = [];
      const backend = await createLmdbBackend(
        { db_path: dbPath, ...base, ...config },
        {
          logger: recordingLogger(warnings),
          onRegistered: (events) => registered.push([...events]),
          onFlushed: (events) => flushed.push([...events]),
        },
      );
      opened.push(backend);
      return { backend, registered, flushed, warnings };
    },
  };
}

function recordingLogger(warnings: string[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
    child: () => logger,
  };
  return logger;
}

/** `server/session/instance` of each event. */
export const idsOf = (events: readonly Event[]): string[] =>
  events.map((e) => `${e.id.server}/${e.id.session}/${e.id.instance}`);
