/** The reading half the eventum targets share, whatever carries their queries (TCP or HTTP). */
import { queryPages } from '@eventum/client';
import type { QuerySource } from '@eventum/client';
import type { Event } from '@eventum/core';

/** Reads a JSON payload the way a consumer would, so every target pays for decoding it. */
export function touchPayload(event: Event): void {
  if (event.payload?.type === 'json' && event.payload.data === undefined)
    throw new Error('event without payload data');
}

/** Every `prefix/*` event oldest first, `pageSize` a page, payloads touched; the count. */
export async function readAllPages(
  source: QuerySource,
  prefix: string,
  pageSize: number,
): Promise<number> {
  let count = 0;
  const pages = queryPages(source, {
    type: 'timeseries',
    eventTypes: [[prefix, '*']],
    order: 'ascending',
    maxResults: pageSize,
  });
  for await (const page of pages) {
    page.forEach(touchPayload);
    count += page.length;
  }
  return count;
}
