import type { Backend, BackendContext, Event, EventId, QueryResult } from '@eventum/core';

/** Fresh storage for one test; `open` may be called again after the backend closed. */
export interface BackendStorage {
  /** Opens a backend on this storage. The contract configures latest and timeseries for `*`. */
  open(context: Partial<BackendContext>): Promise<Backend>;
  /** True when events survive close and reopen. */
  readonly persistent: boolean;
  /** The cap the backend puts on one page (its `maxResults` configuration). */
  readonly maxResults: number;
  /** Deletes the storage. */
  remove(): Promise<void>;
}

/** A backend opened on fresh storage, with every callback recorded. */
export interface Fixture {
  readonly storage: BackendStorage;
  backend: Backend;
  readonly registered: Event[][];
  readonly flushed: Event[][];
  reopen(): Promise<void>;
  dispose(): Promise<void>;
}

/** Opens a backend on fresh storage; `context` adds to the recording callbacks (e.g. limits). */
export async function openFixture(
  makeStorage: () => Promise<BackendStorage>,
  extra: Partial<BackendContext> = {},
): Promise<Fixture> {
  const storage = await makeStorage();
  const registered: Event[][] = [];
  const flushed: Event[][] = [];
  const context = {
    ...extra,
    onRegistered: (events: readonly Event[]) => registered.push([...events]),
    onFlushed: (events: readonly Event[]) => flushed.push([...events]),
  };
  const fixture: Fixture = {
    storage,
    backend: await storage.open(context),
    registered,
    flushed,
    async reopen() {
      await fixture.backend.close();
      fixture.backend = await storage.open(context);
    },
    async dispose() {
      await fixture.backend.close();
      await storage.remove();
    },
  };
  return fixture;
}

/** `server/session/instance` of every event of a result, in result order. */
export const ids = (result: QueryResult): string[] => result.events.map((e) => idText(e.id));
export const idText = (id: EventId): string => `${id.server}/${id.session}/${id.instance}`;
