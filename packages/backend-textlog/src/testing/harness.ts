import type { TestContext } from 'node:test';

import type { Event } from '@eventum/core';
import { makeEvent, json, tempDir } from '@eventum/testing';

import type { TextlogBackendConfig } from '../config.js';
import { createTextlogBackend } from '../plugin.js';
import type { TextlogBackend } from '../textlog-backend.js';

/** A backend opened by {@link textlogHarness}, with its callbacks recorded. */
export interface OpenedBackend {
  readonly backend: TextlogBackend;
  readonly registered: Event[][];
  readonly flushed: Event[][];
}

/** A temporary directory and a way to open backends on it; everything closes after the test. */
export interface TextlogHarness {
  readonly dir: string;
  open(config?: TextlogBackendConfig): Promise<OpenedBackend>;
}

/** Creates a temporary directory for `t`; backends opened through it close in `t.after`. */
export async function textlogHarness(
  t: TestContext,
  base: TextlogBackendConfig = {},
): Promise<TextlogHarness> {
  const dir = await tempDir('eventum-textlog-');
  const opened: TextlogBackend[] = [];
  t.after(async () => {
    for (const backend of opened) await backend.close();
    await dir.remove();
  });
  return {
    dir: dir.path,
    async open(config = {}) {
      const registered: Event[][] = [];
      const flushed: Event[][] = [];
      const backend = await createTextlogBackend(
        { path: dir.path, flush_period: 60, ...base, ...config },
        {
          onRegistered: (events) => registered.push([...events]),
          onFlushed: (events) => flushed.push([...events]),
        },
      );
      opened.push(backend);
      return { backend, registered, flushed };
    },
  };
}

/** Event `1/<session>/1` of type `type` at second `s` with a JSON payload. */
export const at = (session: number, s: number, type: string[] = ['t'], data = 'x'): Event =>
  makeEvent(1, session, 1, type, { timestamp: { s, us: 0 }, payload: json(data) });

/** `server/session/instance` of each event. */
export const idsOf = (events: readonly Event[]): string[] =>
  events.map((e) => `${e.id.server}/${e.id.session}/${e.id.instance}`);

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
