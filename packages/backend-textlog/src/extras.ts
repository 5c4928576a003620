import { compareEvents, eventIdEquals } from '@eventum/core';
import type { Event, EventId, EventType } from '@eventum/core';

import { contentOf } from './format.js';
import type { Mutex } from './mutex.js';
import { byTimestamp } from './queries.js';
import type { Span } from './span-index.js';
import type { SpanStore } from './store.js';

/** Parameters of {@link TextlogBackend.search} (Theia's `search`, fixed). */
export interface SearchParams {
  /** Earliest `timestamp.s`, inclusive; open when absent (Theia required it). */
  readonly from?: number;
  /** Latest `timestamp.s`, inclusive; open when absent. */
  readonly to?: number;
  /** Every tag must equal one segment of the event type (events without a match are left out). */
  readonly tags?: readonly string[];
  /** Tested (`RegExp.test`) against the content text: JSON text, base64, or '' for none. */
  readonly content?: RegExp;
  /** Default ascending (timestamp order). */
  readonly order?: 'ascending' | 'descending';
}

/** Span files newest first; the span and the event with `id`, or `null`. */
export async function findEvent(
  store: SpanStore,
  id: EventId,
): Promise<{ span: Span; event: Event } | null> {
  for (const span of [...store.index.all].reverse()) {
    if (!(await store.headers(span)).some((e) => eventIdEquals(e.id, id))) continue;
    const event = (await store.events(span)).find((e) => eventIdEquals(e.id, id));
    if (event !== undefined) return { span, event };
  }
  return null;
}

/** The greatest (natural order) event of exactly `type`, scanning spans newest first. */
export async function newestOfType(store: SpanStore, type: EventType): Promise<Event | null> {
  const key = JSON.stringify(type);
  for (const span of [...store.index.all].reverse()) {
    let newest: Event | null = null;
    for (const event of await store.events(span)) {
      if (JSON.stringify(event.type) !== key) continue;
      if (newest === null || compareEvents(newest, event) <= 0) newest = event;
    }
    if (newest !== null) return newest;
  }
  return null;
}

/** Yields matching events span by span; each span is read under `mutex`, none held across yields. */
export async function* searchEvents(
  store: SpanStore,
  mutex: Mutex,
  params: SearchParams,
): AsyncGenerator<Event> {
  const { from = null, to = null, tags = [], content } = params;
  const spans = store.index.find(from, to);
  const descending = params.order === 'descending';
  if (descending) spans.reverse();
  const matches = (e: Event): boolean =>
    (from === null || e.timestamp.s >= from) &&
    (to === null || e.timestamp.s <= to) &&
    tags.every((tag) => e.type.includes(tag)) &&
    (content === undefined || content.test(contentOf(e.payload)));
  for (const span of spans) {
    const events = byTimestamp(await mutex.run(() => store.events(span)));
    if (descending) events.reverse();
    for (const event of events) if (matches(event)) yield event;
  }
}
