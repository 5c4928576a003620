import { encodedEventSize } from '../codec/limits.js';
import type { Event } from '../model/event.js';
import type { QueryResult } from '../model/query.js';

/**
 * How much one query page may hold: at most `maxCount` events and `maxBytes` bytes of encoded
 * events (`BackendContext.maxResultBytes`), so the page fits one frame. The first event of a
 * page is always taken, even one larger than `maxBytes` (stored before the size limit existed):
 * a page that could not hold it would stop paging for good.
 */
export class PageBudget {
  readonly #maxCount: number;
  readonly #maxBytes: number;
  #count = 0;
  #bytes = 0;

  constructor(maxCount: number, maxBytes: number) {
    this.#maxCount = Math.max(0, maxCount);
    this.#maxBytes = maxBytes;
  }

  /** Takes an event of `size` bytes if it fits; false means the page is full. */
  take(size: number): boolean {
    if (this.#count >= this.#maxCount) return false;
    if (this.#count > 0 && this.#bytes + size > this.#maxBytes) return false;
    this.#count++;
    this.#bytes += size;
    return true;
  }
}

/**
 * A page of `events` (already filtered, in result order) within `maxCount` events and
 * `maxBytes` bytes; `moreFollows` says some were left out.
 */
export function boundedPage(
  events: Iterable<Event>,
  maxCount: number,
  maxBytes: number,
): QueryResult {
  const budget = new PageBudget(maxCount, maxBytes);
  const page: Event[] = [];
  for (const event of events) {
    if (!budget.take(encodedEventSize(event))) return { events: page, moreFollows: true };
    page.push(event);
  }
  return { events: page, moreFollows: false };
}
