import type { Event } from '@eventum/core';

import { appendDurably, readOrEmpty, syncDirectory, writeAtomic } from './files.js';
import { formatEvent, parseBlocks, parseEvents } from './format.js';
import type { SpanIndex, Span } from './span-index.js';
import { cover, emptyStats } from './span-stats.js';

/** Span files parsed (fully or headers only) by every store of this process; for tests. */
export const parseCounter = { files: 0 };

/**
 * The span files of one directory plus the events not flushed yet. Reads go through a small
 * LRU of parsed files; a flush appends the new blocks to the spans that received events and
 * fsyncs them; `rewrite` replaces a whole span file atomically. Callers serialise flush/read/rewrite (the
 * backend's mutex); `add` is synchronous and may run at any time.
 */
export class SpanStore {
  readonly #dir: string;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, readonly Event[]>();
  #pending = new Map<string, Event[]>();
  /** Byte size of every span file as last written or checked (persisted in the state file). */
  readonly sizes: Map<string, number>;
  readonly index: SpanIndex;

  constructor(dir: string, index: SpanIndex, sizes: Map<string, number>, cacheSize: number) {
    this.#dir = dir;
    this.index = index;
    this.sizes = sizes;
    this.#cacheSize = cacheSize;
  }

  get hasPending(): boolean {
    return this.#pending.size > 0;
  }

  /** Queues `event` for the span of its timestamp; visible to reads at once. */
  add(event: Event): void {
    const span = this.index.spanFor(event.timestamp.s);
    let stats = this.index.stats.get(span.name);
    if (stats === undefined) this.index.stats.set(span.name, (stats = emptyStats()));
    cover(stats, event);
    const list = this.#pending.get(span.name);
    if (list === undefined) this.#pending.set(span.name, [event]);
    else list.push(event);
  }

  /** Every event of `span` in file order (flushed first), without the unflushed if `persisted`. */
  async events(span: Span, persisted = false): Promise<readonly Event[]> {
    let flushed = this.#cache.get(span.name);
    if (flushed === undefined) {
      flushed = parseEvents(await readOrEmpty(this.#dir, span.name));
      parseCounter.files++;
      this.#remember(span.name, flushed);
    } else {
      this.#touch(span.name, flushed);
    }
    const pending = persisted ? undefined : this.#pending.get(span.name);
    return pending === undefined ? flushed : [...flushed, ...pending];
  }

  /** Like {@link events} but cheaper: payloads are `null` unless the file is cached. */
  async headers(span: Span, persisted = false): Promise<readonly Event[]> {
    if (this.#cache.has(span.name)) return this.events(span, persisted);
    const flushed = parseEvents(await readOrEmpty(this.#dir, span.name), true);
    parseCounter.files++;
    const pending = persisted ? undefined : this.#pending.get(span.name);
    return pending === undefined ? flushed : [...flushed, ...pending];
  }

  /**
   * Appends every unflushed event to its span file and fsyncs it (and the directory when a file
   * was created). A failed or torn append is cut off again (see {@link appendDurably}).
   */
  async flush(): Promise<void> {
    const batch = this.#pending;
    if (batch.size === 0) return;
    this.#pending = new Map();
    let created = false;
    try {
      for (const [name, events] of batch) {
        const data = Buffer.from(events.map(formatEvent).join(''));
        const size = this.sizes.get(name) ?? 0;
        created = (await appendDurably(this.#dir, name, data, size)) || created;
        this.sizes.set(name, size + data.length);
        const cached = this.#cache.get(name);
        if (cached !== undefined) this.#cache.set(name, [...cached, ...events]);
        batch.delete(name);
      }
    } finally {
      if (created) await syncDirectory(this.#dir);
      // What failed stays queued, before anything registered meanwhile.
      for (const [name, events] of this.#pending)
        batch.set(name, [...(batch.get(name) ?? []), ...events]);
      this.#pending = batch;
    }
  }

  /**
   * Rewrites the (flushed) span file without the events `drop` selects; returns the dropped
   * events. The file is replaced atomically; nothing is written when nothing is dropped.
   */
  async rewrite(span: Span, drop: (event: Event) => boolean): Promise<Event[]> {
    const data = await readOrEmpty(this.#dir, span.name);
    const kept: Buffer[] = [];
    const dropped: Event[] = [];
    for (const block of parseBlocks(data)) {
      if (drop(block.event)) dropped.push(block.event);
      else kept.push(data.subarray(block.start, block.end));
    }
    if (dropped.length === 0) return dropped;
    const rewritten = Buffer.concat(kept);
    await writeAtomic(this.#dir, span.name, rewritten);
    await syncDirectory(this.#dir);
    this.sizes.set(span.name, rewritten.length);
    this.#cache.delete(span.name);
    return dropped;
  }

  #remember(name: string, events: readonly Event[]): void {
    this.#cache.set(name, events);
    if (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
  }

  #touch(name: string, events: readonly Event[]): void {
    this.#cache.delete(name);
    this.#cache.set(name, events);
  }
}
